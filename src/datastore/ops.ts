// The kube-apiserver style calls (see shared/notes/datastore.md), built on Backend.txn so every
// driver gets them for free: get, list, create, update-if-revision, delete-if-revision.
import type { Backend, KeyValue, RangeResult } from './backend.ts'
import { KeyExistsError, RevisionMismatchError } from './errors.ts'

/** etcd's "range_end = key + 1" for a prefix: increment the last byte that is not 0xff. */
export function prefixEnd(prefix: string): string {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i)
    if (c < 0xff) return prefix.slice(0, i) + String.fromCharCode(c + 1)
  }
  return '\0'
}

export async function get(store: Backend, key: string, revision?: number): Promise<KeyValue | undefined> {
  const r = await store.range({ key, revision, limit: 1 })
  return r.kvs[0]
}

export function list(
  store: Backend,
  prefix: string,
  opts: { revision?: number; limit?: number; startKey?: string } = {},
): Promise<RangeResult> {
  return store.range({
    key: opts.startKey ?? prefix,
    rangeEnd: prefixEnd(prefix),
    revision: opts.revision,
    limit: opts.limit,
  })
}

/** Creates `key`; throws KeyExistsError if present. Returns the new mod revision. */
export async function create(store: Backend, key: string, value: Uint8Array, lease = 0): Promise<number> {
  const r = await store.txn({
    compare: [{ key, target: 'mod', result: 'equal', value: 0 }],
    success: [{ type: 'put', key, value, lease }],
    failure: [],
  })
  if (!r.succeeded) throw new KeyExistsError(key)
  return r.revision
}

/** Replaces `key` only if its mod revision is `modRevision`; throws RevisionMismatchError with the current value otherwise. */
export async function update(
  store: Backend,
  key: string,
  value: Uint8Array,
  modRevision: number,
  lease = 0,
): Promise<number> {
  const r = await store.txn({
    compare: [{ key, target: 'mod', result: 'equal', value: modRevision }],
    success: [{ type: 'put', key, value, lease }],
    failure: [{ type: 'range', range: { key } }],
  })
  if (!r.succeeded) throw new RevisionMismatchError(key, firstKv(r.results[0]))
  return r.revision
}

/** Deletes `key` if its mod revision is `modRevision` (0 = any existing revision). Returns the deleted value. */
export async function remove(
  store: Backend,
  key: string,
  modRevision = 0,
): Promise<{ revision: number; prev: KeyValue }> {
  const r = await store.txn({
    compare: [
      modRevision
        ? { key, target: 'mod', result: 'equal', value: modRevision }
        : { key, target: 'mod', result: 'greater', value: 0 },
    ],
    success: [{ type: 'delete', key, prevKv: true }],
    failure: [{ type: 'range', range: { key } }],
  })
  const res = r.results[0]
  if (!r.succeeded || res?.type !== 'delete' || !res.prevKvs[0]) throw new RevisionMismatchError(key, firstKv(res))
  return { revision: r.revision, prev: res.prevKvs[0] }
}

function firstKv(res: unknown): KeyValue | undefined {
  const r = res as { type?: string; range?: RangeResult } | undefined
  return r?.type === 'range' ? r.range?.kvs[0] : undefined
}

export const encode = (s: string): Uint8Array => new TextEncoder().encode(s)
export const decode = (b: Uint8Array): string => new TextDecoder().decode(b)
