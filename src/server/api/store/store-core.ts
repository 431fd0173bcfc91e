// What every verb of one resource store shares: its keys, the datastore, the watch cache, the kind's
// strategy, and the one commit primitive (the object's compare-and-swap plus the strategy's extras in one txn).
import type { Backend, KeyValue, TxnOp } from '../../../datastore/backend.ts'
import { type ApiError, alreadyExists, conflict, notFound } from '../../../shared/errors.ts'
import type { KubeObject, ResourceDef } from '../../registry/types.ts'
import type { RevisionFeed } from '../watch-cache/revision-feed.ts'
import type { WatchCache } from '../watch-cache/watch-cache.ts'
import type { ObjectAdmission } from './admission.ts'
import { objectKey } from './keys.ts'
import { type KindStrategy, noExtras, type TxnExtras } from './kind-strategy.ts'
import { decodeFromStorage, encodeForStorage } from './object-meta.ts'
import type { ResourceStore } from './types.ts'

export type NamespaceState = 'active' | 'missing' | 'terminating'

export interface StoreCore {
  def: ResourceDef
  prefix: string
  backend: Backend
  feed: RevisionFeed
  cache: WatchCache
  strategy: KindStrategy
  admission: ObjectAdmission
  namespaceState(ns: string): Promise<NamespaceState>
  /** the def's shape ⇄ the stored shape, when two APIs share storage (events.k8s.io/v1 ⇄ core/v1 Event) */
  conversion?: Conversion
  /** lease to attach to writes (events expire after --event-ttl upstream); 0 = none */
  leaseFor?(): Promise<number>
  /** another resource's store (pods/eviction reads PodDisruptionBudgets) */
  lookup?(group: string, version: string, plural: string): ResourceStore | undefined
}

export interface Conversion {
  toStorage(obj: KubeObject): KubeObject
  fromStorage(obj: KubeObject): KubeObject
}

export interface Live {
  obj: KubeObject
  kv: KeyValue
}

export const keyOf = (core: StoreCore, namespace: string | undefined, name: string) =>
  objectKey(core.prefix, core.def.namespaced ? namespace : undefined, name)

export function resourceNotFound(core: StoreCore, name: string): ApiError {
  return notFound(core.def.plural, core.def.group, name)
}

export async function readLive(
  core: StoreCore,
  namespace: string | undefined,
  name: string,
): Promise<Live | undefined> {
  const r = await core.backend.range({ key: keyOf(core, namespace, name), limit: 1 })
  const kv = r.kvs[0]
  if (!kv) return undefined
  const obj = decodeFromStorage(kv.value, kv.modRevision)
  return { kv, obj: core.conversion ? core.conversion.fromStorage(obj) : obj }
}

type CommitKind = 'create' | 'update' | 'delete'

/**
 * Writes one object with compare-and-swap on its mod revision (0 = must not exist) together with the
 * strategy's extras. Returns the new revision. Throws AlreadyExists / Conflict / the extras' own error.
 */
export async function commit(
  core: StoreCore,
  op: CommitKind,
  key: string,
  name: string,
  obj: KubeObject | undefined,
  modRevision: number,
  extras: TxnExtras = noExtras(),
): Promise<number> {
  const lease = op !== 'delete' && core.leaseFor ? await core.leaseFor() : 0
  const own: TxnOp =
    op === 'delete'
      ? { type: 'delete', key }
      : {
          type: 'put',
          key,
          value: encodeForStorage(core.conversion ? core.conversion.toStorage(obj!) : obj!),
          ...(lease ? { lease } : {}),
        }
  const r = await core.backend.txn({
    compare: [{ key, target: 'mod', result: 'equal', value: modRevision }, ...extras.compare],
    success: [own, ...extras.success],
    failure: [key, ...extras.checkKeys].map((k) => ({ type: 'range', range: { key: k, keysOnly: true } })),
  })
  if (r.succeeded) return r.revision
  const present = new Map<string, number>()
  for (const res of r.results)
    if (res.type === 'range') for (const kv of res.range.kvs) present.set(kv.key, kv.modRevision)
  const cur = present.get(key) ?? 0
  if (cur !== modRevision) {
    if (op === 'create') throw alreadyExists(core.def.plural, core.def.group, name)
    if (cur === 0) throw resourceNotFound(core, name)
    throw conflict(core.def.plural, core.def.group, name)
  }
  const exists = new Map(extras.checkKeys.map((k) => [k, present.has(k)]))
  throw extras.explain?.(exists) ?? conflict(core.def.plural, core.def.group, name)
}

/** A short retry loop for writes that raced another writer without the caller asking for a precondition. */
export async function retryOnConflict<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn()
    } catch (err) {
      if (i >= attempts || !(err instanceof RetryableConflict)) throw err instanceof RetryableConflict ? err.cause : err
    }
  }
}

/** Wraps a Conflict the server caused itself (no client precondition), so the verb re-reads and retries. */
export class RetryableConflict extends Error {
  constructor(override readonly cause: unknown) {
    super('retry')
  }
}
