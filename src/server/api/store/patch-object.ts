// PATCH: the body applied to the live object by the patch library (json, merge, strategic with the
// kind's schema, server-side apply with conflicts), then the same rules as PUT. Without a
// resourceVersion in the body a patch that races another writer is re-applied to the new state, as upstream.
import type { PatchType } from '../../client/types.ts'
import type { KubeObject } from '../../registry/types.ts'
import { patch } from '../patch/index.ts'
import type { PatchSource } from './admission.ts'
import { checkUid, conflictFor } from './conflicts.ts'
import { createObject } from './create.ts'
import { EPHEMERAL, withEphemeralContainers } from './ephemeral-containers.ts'
import { isBuiltinGroup } from './keys.ts'
import { resetFieldsFor, trackManagedFields } from './managed-fields.ts'
import { metaOf, prepareUpdate } from './object-meta.ts'
import { getScale, updateScale } from './scale.ts'
import { type Live, readLive, resourceNotFound, retryOnConflict, type StoreCore } from './store-core.ts'
import type { RequestContext } from './types.ts'
import { checkSubresource, writeUpdate } from './update.ts'

export interface PatchOptions {
  subresource?: string
  force?: boolean
}

function applyBody(
  core: StoreCore,
  type: PatchType,
  live: KubeObject | undefined,
  body: unknown,
  ctx: RequestContext,
  opts: PatchOptions,
): KubeObject {
  return patch(type, live, body, {
    schema: core.def.schema,
    // custom resources take json, merge and apply patches only (415 as upstream)
    strategicMerge: isBuiltinGroup(core.def.group),
    manager: ctx.fieldManager,
    force: opts.force,
    subresource: opts.subresource,
    resetFields: resetFieldsFor(core, opts.subresource),
  }).object
}

export async function patchObject(
  core: StoreCore,
  namespace: string | undefined,
  name: string,
  type: PatchType,
  body: unknown,
  ctx: RequestContext,
  opts: PatchOptions = {},
): Promise<KubeObject> {
  if (opts.subresource === 'scale') {
    const scale = applyBody(
      core,
      type === 'apply' ? 'merge' : type,
      await getScale(core, namespace, name),
      body,
      ctx,
      {},
    )
    return updateScale(core, namespace, name, scale, ctx)
  }
  checkSubresource(core, opts.subresource)
  const bodyRv = (body as KubeObject | undefined)?.metadata?.resourceVersion
  const precondition = type !== 'json' && typeof bodyRv === 'string' && bodyRv ? bodyRv : undefined
  return retryOnConflict(async () => {
    const live = await readLive(core, namespace, name)
    if (!live) {
      if (type !== 'apply' || opts.subresource) throw resourceNotFound(core, name)
      const created = applyBody(core, type, undefined, body, ctx, opts)
      created.metadata = { ...created.metadata, name }
      return createObject(core, namespace, created, ctx, { applied: true })
    }
    if (precondition && precondition !== live.obj.metadata!.resourceVersion) throw conflictFor(core, name)
    const patched = applyBody(core, type, live.obj, body, ctx, opts)
    // a json patch may test/replace resourceVersion: then it is a precondition too
    const patchedRv = patched.metadata?.resourceVersion
    if (type === 'json' && patchedRv && patchedRv !== live.obj.metadata!.resourceVersion) throw conflictFor(core, name)
    return finishPatch(core, namespace, name, { type, body }, patched, live, ctx, opts, !precondition)
  })
}

async function finishPatch(
  core: StoreCore,
  namespace: string | undefined,
  name: string,
  source: PatchSource,
  patched: KubeObject,
  live: Live,
  ctx: RequestContext,
  opts: PatchOptions,
  retryable: boolean,
): Promise<KubeObject> {
  const { type } = source
  checkUid(core, name, patched, live.obj)
  core.admission.decode(core.def, patched, ctx, source)
  let next = patched
  if (opts.subresource === 'status') {
    next = { ...structuredClone(live.obj), status: patched.status }
    core.strategy.prepareStatusUpdate?.(next, patched)
    // apply recorded the status manager on the patched copy: keep that bookkeeping
    if (type === 'apply' && patched.metadata?.managedFields) metaOf(next).managedFields = patched.metadata.managedFields
  } else if (opts.subresource === EPHEMERAL) {
    next = withEphemeralContainers(core, patched, live.obj, name)
  } else if (core.def.subresources?.status) {
    if (live.obj.status === undefined) delete next.status
    else next.status = structuredClone(live.obj.status)
  }
  prepareUpdate(core.def, next, live.obj, name)
  if (!opts.subresource) core.strategy.prepareUpdate?.(next, live.obj)
  // apply already recorded its ownership; the other types record the writer's changes here
  if (type !== 'apply') trackManagedFields(core, live.obj, next, ctx, 'Update', opts.subresource)
  core.admission.validate(core.def, next, live.obj, ctx)
  return writeUpdate(core, namespace, name, next, live, ctx, retryable)
}
