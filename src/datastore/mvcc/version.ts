// One stored write of one key, as the MVCC index keeps it (etcd's keyIndex revision plus the
// KeyValue fields). A tombstone (delete) has version 0 and createRev 0.
import type { KeyValue } from '../backend.ts'

export interface Version {
  /** mod revision: the revision of the write */
  rev: number
  /** 0 for a tombstone */
  createRev: number
  /** writes since creation, 0 for a tombstone */
  version: number
  lease: number
  /** storage row id (SQLite), 0 in memory; unique and increasing in write order */
  id: number
  /** the bytes when held in memory; undefined = read from storage by `id` */
  value?: Uint8Array
}

/** A write produced by a txn, in op order: `prev` is the live version it replaced, if any. */
export interface Change {
  key: string
  v: Version
  prev?: Version
}

export const isTombstone = (v: Version) => v.version === 0

const empty = new Uint8Array(0)

export function toKeyValue(key: string, v: Version, value: Uint8Array | undefined): KeyValue {
  return {
    key,
    value: value ?? empty,
    createRevision: v.createRev,
    modRevision: v.rev,
    version: v.version,
    lease: v.lease,
  }
}
