// DELETE: preconditions, graceful deletion (pods), finalizers with deletionTimestamp, and the
// propagationPolicy finalizers upstream records for the garbage collector (orphan, foregroundDeletion).
import { conflict } from '../../../shared/errors.ts'
import type { DeleteOptions, ListOptions } from '../../client/types.ts'
import type { KubeObject } from '../../registry/types.ts'
import { isConflict } from './conflicts.ts'
import { noExtras } from './kind-strategy.ts'
import { metaOf, nowRfc3339, tracksGeneration } from './object-meta.ts'
import { listObjects } from './reads.ts'
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
import { readyToDelete, writeUpdate } from './update.ts'

const ORPHAN = 'orphan'
const FOREGROUND = 'foregroundDeletion'

export async function deleteObject(
  core: StoreCore,
  namespace: string | undefined,
  name: string,
  opts: DeleteOptions,
  ctx: RequestContext,
): Promise<{ object: KubeObject; deleted: boolean }> {
  return retryOnConflict(async () => {
    const live = await readLive(core, namespace, name)
    if (!live) throw resourceNotFound(core, name)
    checkPreconditions(core, name, live.obj, opts)
    core.strategy.checkDelete?.(live.obj)
    const grace = core.strategy.gracePeriod?.(live.obj, opts.gracePeriodSeconds) ?? 0
    const next = structuredClone(live.obj)
    const meta = metaOf(next)
    const finalizers = withPolicyFinalizers(meta.finalizers ?? [], opts.propagationPolicy)
    if (finalizers.length > 0) meta.finalizers = finalizers
    const pending = finalizers.length > 0 || (core.strategy.pendingFinalizers?.(next).length ?? 0) > 0
    if (!pending && grace === 0) return { object: await removeNow(core, namespace, name, live, ctx), deleted: true }
    if (meta.deletionTimestamp) {
      // already deleting: only a shorter grace period (or new policy finalizers) changes anything
      const current = meta.deletionGracePeriodSeconds ?? 0
      if (grace < current) {
        meta.deletionGracePeriodSeconds = grace
        meta.deletionTimestamp = nowRfc3339(Date.now() + grace * 1000)
      }
    } else {
      meta.deletionTimestamp = nowRfc3339(Date.now() + grace * 1000)
      meta.deletionGracePeriodSeconds = grace
      // upstream BeforeDelete bumps generation so controllers notice the deletion as a spec change
      if (tracksGeneration(core.def) && meta.generation) meta.generation++
      core.strategy.markDeleting?.(next)
    }
    const object = await writeUpdate(core, namespace, name, next, live, ctx, true)
    return { object, deleted: readyToDelete(core, next) }
  })
}

async function removeNow(
  core: StoreCore,
  namespace: string | undefined,
  name: string,
  live: Live,
  ctx: RequestContext,
): Promise<KubeObject> {
  const extras = core.strategy.extras ? await core.strategy.extras('delete', undefined, live.obj, ctx) : noExtras()
  if (ctx.dryRun) return live.obj
  try {
    const rev = await commit(core, 'delete', keyOf(core, namespace, name), name, undefined, live.kv.modRevision, extras)
    return { ...live.obj, metadata: { ...live.obj.metadata, resourceVersion: String(rev) } }
  } catch (err) {
    if (isConflict(err)) throw new RetryableConflict(err)
    throw err
  }
}

function withPolicyFinalizers(finalizers: string[], policy: DeleteOptions['propagationPolicy']): string[] {
  if (policy === 'Orphan') return [...finalizers.filter((f) => f !== FOREGROUND && f !== ORPHAN), ORPHAN]
  if (policy === 'Foreground') return [...finalizers.filter((f) => f !== FOREGROUND && f !== ORPHAN), FOREGROUND]
  if (policy === 'Background') return finalizers.filter((f) => f !== FOREGROUND && f !== ORPHAN)
  return finalizers
}

function checkPreconditions(core: StoreCore, name: string, obj: KubeObject, opts: DeleteOptions): void {
  const p = opts.preconditions
  if (p?.uid && p.uid !== obj.metadata?.uid)
    throw conflict(
      core.def.plural,
      core.def.group,
      name,
      `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${obj.metadata?.uid}`,
    )
  if (p?.resourceVersion && p.resourceVersion !== obj.metadata?.resourceVersion)
    throw conflict(
      core.def.plural,
      core.def.group,
      name,
      `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${obj.metadata?.resourceVersion}`,
    )
}

/** DELETE on the collection: each matching object as its own delete (upstream DeleteCollection). */
export async function deleteCollection(
  core: StoreCore,
  namespace: string | undefined,
  list: ListOptions,
  opts: DeleteOptions,
  ctx: RequestContext,
): Promise<KubeObject[]> {
  const { items } = await listObjects(core, namespace, {
    ...list,
    limit: undefined,
    continue: undefined,
    resourceVersion: '',
  })
  const out: KubeObject[] = []
  for (const item of items) {
    try {
      const r = await deleteObject(core, item.metadata?.namespace, item.metadata!.name!, opts, ctx)
      out.push(r.object)
    } catch (err) {
      // gone meanwhile: as upstream, a concurrent delete is not an error for the collection
      if ((err as { code?: number }).code !== 404) throw err
    }
  }
  return out
}
