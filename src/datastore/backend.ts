// The datastore contract: a revisioned key-value log with etcd v3 semantics.
// Every layer above (API server, watch cache, etcd shim) talks to this and nothing else.
//
// Keys are "binary strings": each char is one byte (0-255), so byte order equals string
// order and etcd clients may use arbitrary bytes (etcdctl check perf does). Kubernetes keys
// are plain ASCII (`/registry/<resource>/<namespace>/<name>`), so for them nothing changes.
// Values are raw bytes.

export interface KeyValue {
  key: string
  value: Uint8Array
  /** revision of the write that created this key (since its last delete) */
  createRevision: number
  /** revision of the last write to this key */
  modRevision: number
  /** number of writes since creation, 1 after create (etcd's `version`) */
  version: number
  /** lease id attached to the key, 0 if none */
  lease: number
}

export interface WatchEvent {
  type: 'put' | 'delete'
  /** for a delete: the key with modRevision = the delete's revision and an empty value */
  kv: KeyValue
  prevKv?: KeyValue
}

/** `rangeEnd` follows etcd: undefined = the single key; '\0' = every key >= key; otherwise [key, rangeEnd). */
export interface RangeRequest {
  key: string
  rangeEnd?: string
  /** read as of this revision; 0/undefined = current. Throws CompactedError below the compact revision, FutureRevError above the current one. */
  revision?: number
  /** 0/undefined = no limit */
  limit?: number
  countOnly?: boolean
  keysOnly?: boolean
}

export interface RangeResult {
  kvs: KeyValue[]
  /** number of keys in the range (ignoring limit) */
  count: number
  more: boolean
  /** the store's current revision when the read was served (the header revision) */
  revision: number
}

export type Compare =
  | { key: string; rangeEnd?: string; target: 'value'; result: CompareResult; value: Uint8Array }
  | {
      key: string
      rangeEnd?: string
      target: 'version' | 'create' | 'mod' | 'lease'
      result: CompareResult
      value: number
    }
export type CompareResult = 'equal' | 'greater' | 'less' | 'not_equal'

export type TxnOp =
  | { type: 'range'; range: RangeRequest }
  | {
      type: 'put'
      key: string
      value: Uint8Array
      lease?: number
      prevKv?: boolean
      ignoreValue?: boolean
      ignoreLease?: boolean
    }
  | { type: 'delete'; key: string; rangeEnd?: string; prevKv?: boolean }
  | { type: 'txn'; txn: TxnRequest }

export type TxnOpResult =
  | { type: 'range'; range: RangeResult }
  | { type: 'put'; prevKv?: KeyValue }
  | { type: 'delete'; deleted: number; prevKvs: KeyValue[] }
  | { type: 'txn'; txn: TxnResult }

export interface TxnRequest {
  compare: Compare[]
  success: TxnOp[]
  failure: TxnOp[]
}

export interface TxnResult {
  succeeded: boolean
  results: TxnOpResult[]
  /** store revision after the txn; all writes of one txn share one new revision, as in etcd */
  revision: number
}

export interface WatchRequest {
  key: string
  rangeEnd?: string
  /** deliver every event with revision >= startRevision; 0/undefined = only new events. Throws CompactedError if startRevision < compactRevision (a watch may start at the compact revision itself, as in etcd). */
  startRevision?: number
  prevKv?: boolean
}

export interface Watcher {
  /** Stops delivery; no callback runs after it returns. */
  cancel(): void
  /**
   * The revision up to which this watcher has been sent every event (etcd's progress notify
   * header revision): the current revision once caught up, lower while replaying history.
   * Optional so other implementations may omit it; the memory and SQLite drivers provide it.
   */
  progressRevision?(): number
}

/**
 * Events arrive grouped per revision, in revision order, never skipped or repeated.
 * `onError` ends the watch (e.g. compacted while the watcher lagged, or store closed).
 */
export interface WatchCallbacks {
  onEvents(events: WatchEvent[]): void
  onError?(err: Error): void
}

export interface LeaseInfo {
  id: number
  ttl: number
  /** seconds left; -1 once expired or revoked */
  remaining: number
  keys: string[]
}

export interface StoreStatus {
  revision: number
  compactRevision: number
  /** bytes on disk (db + wal) or in memory */
  dbSize: number
  /** bytes of live data */
  dbSizeInUse: number
}

export interface Backend {
  /** Resolves once the store is open and recovered; rejects with a DatastoreError saying what to fix. */
  start(): Promise<void>
  close(): Promise<void>
  currentRevision(): number
  compactRevision(): number
  range(req: RangeRequest): Promise<RangeResult>
  /** The one write primitive: compares then ops, atomically. Convenience wrappers live in ./ops.ts. */
  txn(req: TxnRequest): Promise<TxnResult>
  watch(req: WatchRequest, cb: WatchCallbacks): Watcher
  /**
   * Drops history below `revision` (keeps the newest version of every key). Throws CompactedError if already compacted past it.
   * Resolves once reads below `revision` fail; with `physical` (etcd's flag) only once the space is freed too.
   */
  compact(revision: number, opts?: { physical?: boolean }): Promise<void>
  /** id 0 = choose one. TTL in seconds. */
  leaseGrant(ttl: number, id?: number): Promise<LeaseInfo>
  /** Deletes every key attached to the lease. Throws LeaseNotFoundError. */
  leaseRevoke(id: number): Promise<void>
  /** Returns the refreshed TTL. Throws LeaseNotFoundError. */
  leaseKeepAlive(id: number): Promise<LeaseInfo>
  leaseTimeToLive(id: number, withKeys?: boolean): Promise<LeaseInfo>
  leaseList(): Promise<number[]>
  status(): Promise<StoreStatus>
}
