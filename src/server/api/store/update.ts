// PUT on the object, its status or (namespaces) finalize subresource. Optimistic concurrency: a
// metadata.resourceVersion in the body must match (409 Conflict); without one the update is unconditional.
// The main resource never changes status and the status subresource changes nothing but status.
import { notFound } from '../../../shared/errors.ts'
import type { KubeObject } from '../../registry/types.ts'
import { checkUid, conflictFor, isConflict } from './conflicts.ts'
import { createObject } from './create.ts'
import { EPHEMERAL, servesEphemeralContainers, withEphemeralContainers } from './ephemeral-containers.ts'
import { noExtras } from './kind-strategy.ts'
import { trackManagedFields } from './managed-fields.ts'
import { metaOf, prepareUpdate, sameStoredObject } from './object-meta.ts'
import {
  commit,
  keyOf,
  type Live,
  RetryableConflict,
  readLive,
  resourceNotFound,
  retryOnConflict,
  type StoreCore,
} from './store-core.ts'
import type { RequestContext } from './types.ts'

export function checkSubresource(core: StoreCore, subresource: string | undefined): void {
  if (!subresource) return
  if (subresource === 'status' && core.def.subresources?.status) return
  if (subresource === 'finalize' && core.def.group === '' && core.def.plural === 'namespaces') return
  if (subresource === EPHEMERAL && servesEphemeralContainers(core)) return
  throw notFound(`${core.def.plural}/${subresource}`, core.def.group, '')
}

export async function updateObject(
  core: StoreCore,
  namespace: string | undefined,
  name: string,
  input: KubeObject,
  ctx: RequestContext,
  subresource?: string,
): Promise<{ object: KubeObject; created: boolean }> {
  checkSubresource(core, subresource)
  const precondition = input.metadata?.resourceVersion || undefined
  return retryOnConflict(async () => {
    const live = await readLive(core, namespace, name)
    if (!live) {
      if (!core.strategy.allowCreateOnUpdate || subresource) throw resourceNotFound(core, name)
      if (input.metadata?.name && input.metadata.name !== name) throw resourceNotFound(core, name)
      // a resourceVersion names a state that does not exist: the caller's view is stale
      if (precondition) throw conflictFor(core, name)
      const obj = structuredClone(input)
      obj.metadata = { ...obj.metadata, name }
      return { object: await createObject(core, namespace, obj, ctx), created: true }
    }
    if (precondition && precondition !== live.obj.metadata!.resourceVersion) throw conflictFor(core, name)
    checkUid(core, name, input, live.obj)
    const obj = structuredClone(input)
    core.admission.decode(core.def, obj, ctx)
    const next = applySubresourceRules(core, obj, live.obj, subresource, name)
    prepareUpdate(core.def, next, live.obj, name)
    if (!subresource) core.strategy.prepareUpdate?.(next, live.obj)
    trackManagedFields(core, live.obj, next, ctx, 'Update', subresource)
    core.admission.validate(core.def, next, live.obj, ctx)
    return { object: await writeUpdate(core, namespace, name, next, live, ctx, !precondition), created: false }
  })
}

function applySubresourceRules(
  core: StoreCore,
  obj: KubeObject,
  old: KubeObject,
  subresource: string | undefined,
  name: string,
): KubeObject {
  if (subresource === 'status') {
    const next = { ...structuredClone(old), status: obj.status }
    core.strategy.prepareStatusUpdate?.(next, obj)
    return next
  }
  if (subresource === EPHEMERAL) return withEphemeralContainers(core, obj, old, name)
  if (subresource === 'finalize') {
    const next = structuredClone(old)
    next.spec = { ...next.spec, finalizers: obj.spec?.finalizers }
    if (!obj.spec?.finalizers) delete next.spec.finalizers
    return next
  }
  if (core.def.subresources?.status) {
    if (old.status === undefined) delete obj.status
    else obj.status = structuredClone(old.status)
  }
  return obj
}

/** A deleting object whose last finalizer went away (and whose grace period is over) is deleted. */
export function readyToDelete(core: StoreCore, obj: KubeObject): boolean {
  const m = obj.metadata ?? {}
  if (!m.deletionTimestamp) return false
  if ((m.finalizers?.length ?? 0) > 0 || (core.strategy.pendingFinalizers?.(obj).length ?? 0) > 0) return false
  return !m.deletionGracePeriodSeconds
}

/**
 * Writes a prepared, validated update of `live`: skips no-op writes (same bytes, as upstream does, so
 * controllers do not spin on their own writes), deletes an object whose finalizers are done.
 * `retryable` = the caller gave no precondition, so a lost race re-reads instead of failing.
 */
export async function writeUpdate(
  core: StoreCore,
  namespace: string | undefined,
  name: string,
  obj: KubeObject,
  live: Live,
  ctx: RequestContext | undefined,
  retryable: boolean,
): Promise<KubeObject> {
  const key = keyOf(core, namespace, name)
  try {
    if (readyToDelete(core, obj)) {
      const extras = core.strategy.extras ? await core.strategy.extras('delete', undefined, live.obj, ctx) : noExtras()
      if (ctx?.dryRun) return obj
      const rev = await commit(core, 'delete', key, name, undefined, live.kv.modRevision, extras)
      metaOf(obj).resourceVersion = String(rev)
      return obj
    }
    if (sameStoredObject(obj, live.obj)) return live.obj
    const extras = core.strategy.extras ? await core.strategy.extras('update', obj, live.obj, ctx) : noExtras()
    if (ctx?.dryRun) {
      metaOf(obj).resourceVersion = live.obj.metadata!.resourceVersion
      return obj
    }
    const rev = await commit(core, 'update', key, name, obj, live.kv.modRevision, extras)
    metaOf(obj).resourceVersion = String(rev)
    return obj
  } catch (err) {
    if (retryable && isConflict(err)) throw new RetryableConflict(err)
    throw err
  }
}
