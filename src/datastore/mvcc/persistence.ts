// What a storage driver provides under the MVCC store: durable writes of whole groups of
// revisions, value reads by row id, and the state to rebuild the index from at start-up.
import type { Version } from './version.ts'

export interface StoredRow {
  key: string
  v: Version
}

export interface WriteBatch {
  /** new rows (puts carry `value`), in write order */
  rows: StoredRow[]
  leaseGrants: { id: number; ttl: number }[]
  leaseRevokes: number[]
  /** set when the batch records a compaction */
  compactRev?: number
  /** row ids dropped by an earlier compaction */
  deleteIds?: number[]
}

export interface LoadedState {
  /** every stored row, in write (id) order; values may be left out */
  rows: Iterable<StoredRow>
  compactRev: number
  leases: { id: number; ttl: number }[]
}

export interface Persistence {
  /** true when Version.value stays in memory (the memory driver) */
  readonly keepsValues: boolean
  open(): LoadedState
  /** Value bytes of a row written earlier. */
  value(v: Version): Uint8Array
  /** Values of many rows, in the order given (a range's worth in one query). */
  values(vs: Version[]): Uint8Array[]
  /** Durable once the promise resolves. May yield to the event loop between chunks. */
  write(batch: WriteBatch): void | Promise<void>
  /** Gives freed space back (after compaction). May yield between steps; stops early once `stop()`. */
  reclaim(stop: () => boolean): Promise<void>
  size(): { dbSize: number; dbSizeInUse: number }
  close(): void
}
