// PATCH: the body applied to the live object by the patch library (json, merge, strategic with the
// kind's schema, server-side apply), then the same rules as PUT. Without a resourceVersion in the body a
// patch that races another writer is re-applied to the new state, as upstream does.
import type { PatchType } from '../../client/types.ts'
import type { KubeObject } from '../../registry/types.ts'
import { applyJsonPatch } from '../patch/json-patch.ts'
import { applyMergePatch } from '../patch/merge-patch.ts'
import { applyStrategicMergePatch } from '../patch/strategic-merge.ts'
import { conflictFor } from './conflicts.ts'
import { createObject } from './create.ts'
import { trackManagedFields } from './managed-fields.ts'
import { prepareUpdate } from './object-meta.ts'
import { getScale, toScale, updateScale } from './scale.ts'
import { readLive, resourceNotFound, retryOnConflict, type StoreCore } from './store-core.ts'
import type { RequestContext } from './types.ts'
import { checkSubresource, writeUpdate } from './update.ts'

export function applyPatchBody(core: StoreCore, type: PatchType, live: KubeObject, body: unknown): KubeObject {
  switch (type) {
    case 'json':
      return applyJsonPatch(live, body)
    case 'merge':
      return applyMergePatch(live, body)
    case 'strategic':
      return applyStrategicMergePatch(live, body, core.def.schema)
    case 'apply':
      // stopgap until the apply library lands: the applied configuration merged over the live object
      return applyMergePatch(live, body)
  }
}

export async function patchObject(
  core: StoreCore,
  namespace: string | undefined,
  name: string,
  type: PatchType,
  body: unknown,
  ctx: RequestContext,
  opts: { subresource?: string; force?: boolean } = {},
): Promise<KubeObject> {
  if (opts.subresource === 'scale') {
    const scale = applyPatchBody(core, type, await getScale(core, namespace, name), body)
    return updateScale(core, namespace, name, scale, ctx)
  }
  checkSubresource(core, opts.subresource)
  const bodyRv = (body as KubeObject | undefined)?.metadata?.resourceVersion
  const precondition = type !== 'json' && typeof bodyRv === 'string' && bodyRv ? bodyRv : undefined
  return retryOnConflict(async () => {
    const live = await readLive(core, namespace, name)
    if (!live) {
      if (type !== 'apply' || opts.subresource) throw resourceNotFound(core, name)
      const obj = structuredClone(body as KubeObject)
      obj.metadata = { ...obj.metadata, name }
      return createObject(core, namespace, obj, ctx)
    }
    if (precondition && precondition !== live.obj.metadata!.resourceVersion) throw conflictFor(core, name)
    const patched = applyPatchBody(core, type, live.obj, body)
    // a json patch may test/replace resourceVersion: then it is a precondition too
    const patchedRv = patched.metadata?.resourceVersion
    if (type === 'json' && patchedRv && patchedRv !== live.obj.metadata!.resourceVersion) throw conflictFor(core, name)
    core.admission.decode(core.def, patched, ctx)
    let next = patched
    if (opts.subresource === 'status') next = { ...structuredClone(live.obj), status: patched.status }
    else if (core.def.subresources?.status) {
      if (live.obj.status === undefined) delete next.status
      else next.status = structuredClone(live.obj.status)
    }
    prepareUpdate(core.def, next, live.obj, name)
    if (!opts.subresource) core.strategy.prepareUpdate?.(next, live.obj)
    trackManagedFields(core, live.obj, next, ctx, type === 'apply' ? 'Apply' : 'Update', opts.subresource)
    core.admission.validate(core.def, next, live.obj, ctx)
    return writeUpdate(core, namespace, name, next, live, ctx, !precondition)
  })
}

export { toScale }
