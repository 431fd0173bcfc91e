// The Backend contract over an in-memory MVCC index and a Persistence (memory or SQLite).
//
// Writes: txns, lease grants/revokes and compactions queue for one writer (write-queue.ts),
// which hands over everything queued so far as one group. Each item runs against the index
// head (each writing txn gets head+1), the group is persisted in one durable write (group
// commit), and only then are the new revisions made visible, published to watchers in
// revision order, and acknowledged.
// Readers (range) see the visible revision only, so nothing unacknowledged is ever read.

import { logger } from '../../shared/log.ts'
import type {
  Backend,
  LeaseInfo,
  RangeRequest,
  RangeResult,
  StoreStatus,
  TxnRequest,
  TxnResult,
  WatchCallbacks,
  Watcher,
  WatchRequest,
} from '../backend.ts'
import {
  CompactedError,
  FutureRevError,
  LeaseExistsError,
  LeaseNotFoundError,
  StoreUnavailableError,
} from '../errors.ts'
import { KeyIndex } from './key-index.ts'
import { LeaseTable } from './lease-table.ts'
import type { Persistence, WriteBatch } from './persistence.ts'
import { executeTxn, readRange } from './txn-exec.ts'
import type { Change, Version } from './version.ts'
import { WatchHub } from './watch-hub.ts'
import { type Work, WriteQueue } from './write-queue.ts'

const log = logger('datastore')
const tick = () => new Promise((r) => setImmediate(r))

export interface MvccOptions {
  /** automatic compaction period in ms; 0 = off (default 5 minutes, as kine) */
  compactIntervalMs?: number
  /** revisions kept by automatic compaction (default 1000, as kine) */
  compactKeep?: number
  /** how often lease expiry is checked, ms (default 500) */
  leaseCheckMs?: number
  /** row ids deleted per compaction transaction (default 1000) */
  compactChunk?: number
  /** shortest lease TTL in seconds; shorter grants are raised to it (default 2, as etcd) */
  minLeaseTtl?: number
}

export class MvccStore implements Backend {
  private index = new KeyIndex()
  private leases = new LeaseTable()
  private hub: WatchHub
  /** last acknowledged (readable) revision; etcd starts an empty store at 1 */
  private visible = 1
  /** last revision handed to a queued write (>= visible while a group is being written) */
  private head = 1
  private compacted = 0
  private lastId = 0
  private writer = new WriteQueue((group) => this.writeGroup(group))
  private failed?: Error
  private closed = false
  private timers: ReturnType<typeof setInterval>[] = []
  private revoking = new Set<number>()
  private compacting?: Promise<void>

  constructor(
    private store: Persistence,
    private opts: MvccOptions = {},
  ) {
    this.hub = new WatchHub({
      index: this.index,
      visibleRev: () => this.visible,
      compactRev: () => this.compacted,
      value: (v) => this.value(v),
    })
  }

  async start(): Promise<void> {
    const state = this.store.open()
    try {
      for (const row of state.rows) {
        this.index.append(row.key, row.v)
        if (row.v.rev > this.visible) this.visible = row.v.rev
        if (row.v.id > this.lastId) this.lastId = row.v.id
      }
    } catch (err) {
      this.store.close()
      throw err
    }
    this.compacted = state.compactRev
    this.visible = Math.max(this.visible, state.compactRev)
    this.head = this.visible
    // Rows at or below the compact revision that a crash left behind before their delete.
    this.index.trimLog(this.compacted)
    if (this.compacted) this.dropBelow(this.compacted).catch((err) => log.warn('compaction failed', { err }))
    for (const l of state.leases) this.leases.grant(l.id, l.ttl)
    const leaseCheck = setInterval(() => this.expireLeases(), this.opts.leaseCheckMs ?? 500)
    this.timers.push(leaseCheck)
    const every = this.opts.compactIntervalMs ?? 5 * 60_000
    if (every > 0) this.timers.push(setInterval(() => this.autoCompact(), every))
    for (const t of this.timers) (t as { unref?: () => void }).unref?.()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const t of this.timers) clearInterval(t)
    await this.compacting?.catch(() => {})
    await this.writer.idle()
    this.hub.closeAll(new StoreUnavailableError('datastore closed'))
    this.store.close()
  }

  currentRevision(): number {
    return this.visible
  }

  compactRevision(): number {
    return this.compacted
  }

  async range(req: RangeRequest): Promise<RangeResult> {
    this.check()
    return readRange(this.readEnv(), req, this.visible)
  }

  txn(req: TxnRequest): Promise<TxnResult> {
    return this.enqueue(async (rev, batch) => {
      const out = await executeTxn(
        {
          index: this.index,
          rev,
          compactRev: this.compacted,
          nextId: () => ++this.lastId,
          leaseExists: (id) => this.leases.has(id) && !this.revoking.has(id),
          value: (v) => this.value(v),
          values: (vs) => this.values(vs),
          pause: tick,
        },
        req,
      )
      batch.rows.push(...out.changes)
      return { changes: out.changes, result: out.result }
    }) as Promise<TxnResult>
  }

  watch(req: WatchRequest, cb: WatchCallbacks): Watcher {
    this.check()
    if (req.startRevision && req.startRevision > 0 && req.startRevision < this.compacted) {
      throw new CompactedError(req.startRevision, this.compacted)
    }
    return this.hub.add(req, cb)
  }

  async compact(revision: number, opts: { physical?: boolean } = {}): Promise<void> {
    await this.enqueue((_rev, batch) => {
      if (revision <= this.compacted) throw new CompactedError(revision, this.compacted)
      if (revision > this.head) throw new FutureRevError(revision)
      this.compacted = revision
      this.index.trimLog(revision)
      batch.compactRev = revision
      return { changes: [], result: undefined }
    })
    const physical = this.dropBelow(revision)
    if (opts.physical) await physical
    else physical.catch((err) => log.warn('compaction failed', { err }))
  }

  /**
   * Drops superseded versions from the index a slice of keys per event-loop turn, and their
   * rows from disk in chunks, each its own transaction, so writes and keepalives go on; then
   * gives the space back. Runs one at a time.
   */
  private dropBelow(revision: number): Promise<void> {
    const chunk = this.opts.compactChunk ?? 1000
    const run = async () => {
      const ids: number[] = []
      for (const dropped of this.index.compactSteps(revision, 2000)) {
        if (this.closed) return
        for (const v of dropped) ids.push(v.id)
        await tick()
      }
      // In id order, each chunk deletes neighbouring rows: a few pages per chunk, not one per row.
      ids.sort((a, b) => a - b)
      for (let i = 0; i < ids.length && !this.closed; i += chunk) {
        const part = ids.slice(i, i + chunk)
        await this.enqueue((_rev, batch) => {
          batch.deleteIds = (batch.deleteIds ?? []).concat(part)
          return { changes: [], result: undefined }
        })
        await tick()
      }
      if (!this.closed) await this.store.reclaim(() => this.closed)
    }
    const p = (this.compacting ?? Promise.resolve()).then(run, run)
    this.compacting = p
    return p.finally(() => {
      if (this.compacting === p) this.compacting = undefined
    })
  }

  async leaseGrant(ttl: number, id = 0): Promise<LeaseInfo> {
    return (await this.enqueue((_rev, batch) => {
      if (id && this.leases.has(id)) throw new LeaseExistsError(id)
      // As etcd's lessor: a TTL below the minimum (2 s with default election settings) is raised.
      const l = this.leases.grant(id || this.leases.newId(), Math.max(this.opts.minLeaseTtl ?? 2, Math.ceil(ttl)))
      batch.leaseGrants.push({ id: l.id, ttl: l.ttl })
      return { changes: [], result: { id: l.id, ttl: l.ttl, remaining: l.ttl, keys: [] } }
    })) as LeaseInfo
  }

  async leaseRevoke(id: number): Promise<void> {
    if (!this.leases.has(id)) throw new LeaseNotFoundError(id)
    await this.revoke(id)
  }

  async leaseKeepAlive(id: number): Promise<LeaseInfo> {
    this.check()
    // An expired lease waiting for its revoke is gone already, as in etcd's lessor.Renew.
    const cur = this.leases.get(id)
    if (!cur || this.revoking.has(id) || this.leases.remaining(cur) < 0) throw new LeaseNotFoundError(id)
    const l = this.leases.refresh(id)!
    return { id, ttl: l.ttl, remaining: l.ttl, keys: [] }
  }

  /** An unknown lease answers ttl 0, remaining -1 (etcd's LeaseTimeToLive replies TTL -1 too). */
  async leaseTimeToLive(id: number, withKeys = false): Promise<LeaseInfo> {
    this.check()
    const l = this.leases.get(id)
    if (!l) return { id, ttl: 0, remaining: -1, keys: [] }
    return { id, ttl: l.ttl, remaining: this.leases.remaining(l), keys: withKeys ? this.leaseKeys(id) : [] }
  }

  async leaseList(): Promise<number[]> {
    this.check()
    return this.leases.ids()
  }

  async status(): Promise<StoreStatus> {
    this.check()
    let size = this.store.size()
    if (this.store.keepsValues) {
      // In memory: count the bytes held (keys and values of every kept version).
      let bytes = 0
      for (const e of this.index.all()) bytes += e.key.length + (e.v.value?.length ?? 0)
      size = { dbSize: bytes, dbSizeInUse: bytes }
    }
    return { revision: this.visible, compactRevision: this.compacted, ...size }
  }

  /** Keys attached to a lease at the head; a scan, as revokes are rare next to writes. */
  private leaseKeys(id: number): string[] {
    const keys: string[] = []
    for (const e of this.index.live()) if (e.v.lease === id) keys.push(e.key)
    return keys
  }

  /** Revoke = delete every attached key in one revision, then forget the lease, as etcd's lessor. */
  private revoke(id: number): Promise<unknown> {
    this.revoking.add(id)
    return this.enqueue((rev, batch) => {
      if (!this.leases.has(id)) throw new LeaseNotFoundError(id)
      const changes: Change[] = []
      for (const key of this.leaseKeys(id)) {
        const prev = this.index.latest(key)!
        const v: Version = { rev, createRev: 0, version: 0, lease: 0, id: ++this.lastId }
        this.index.append(key, v)
        changes.push({ key, v, prev })
      }
      batch.rows.push(...changes)
      batch.leaseRevokes.push(id)
      this.leases.delete(id)
      return { changes, result: undefined }
    }).finally(() => this.revoking.delete(id))
  }

  private expireLeases(): void {
    if (this.closed || this.failed) return
    for (const id of this.leases.expired()) {
      if (this.revoking.has(id)) continue
      this.revoke(id).catch((err) => log.warn('lease expiry failed', { lease: id, err }))
    }
  }

  private autoCompact(): void {
    if (this.compacting || this.closed || this.failed) return
    const target = this.visible - (this.opts.compactKeep ?? 1000)
    if (target <= this.compacted) return
    this.compact(target).catch((err) => {
      if (!(err instanceof CompactedError)) log.warn('automatic compaction failed', { err })
    })
  }

  private value(v: Version): Uint8Array {
    return v.value ?? this.store.value(v)
  }

  /** Values still held in memory (just written) are used as they are; the rest in one read. */
  private values(vs: Version[]): Uint8Array[] {
    const missing = vs.filter((v) => !v.value)
    if (missing.length < 2) return vs.map((v) => this.value(v))
    const loaded = this.store.values(missing)
    let i = 0
    return vs.map((v) => v.value ?? loaded[i++])
  }

  private readEnv() {
    return { index: this.index, compactRev: this.compacted, values: (vs: Version[]) => this.values(vs) }
  }

  private check(): void {
    if (this.failed) throw this.failed
    if (this.closed) throw new StoreUnavailableError('datastore closed')
  }

  private enqueue(apply: Work['apply']): Promise<unknown> {
    try {
      this.check()
    } catch (err) {
      return Promise.reject(err)
    }
    return this.writer.push(apply)
  }

  private async writeGroup(group: Work[]): Promise<void> {
    const batch: WriteBatch = { rows: [], leaseGrants: [], leaseRevokes: [] }
    const revisions: { rev: number; changes: Change[] }[] = []
    const settle: (() => void)[] = []
    for (const w of group) {
      if (this.failed) {
        settle.push(() => w.reject(this.failed))
        continue
      }
      const rev = this.head + 1
      const rows = batch.rows.length
      try {
        const { changes, result } = await w.apply(rev, batch)
        if (changes.length) {
          this.head = rev
          revisions.push({ rev, changes })
        }
        settle.push(() => w.resolve(result))
      } catch (err) {
        this.index.truncateFrom(rev)
        batch.rows.length = rows
        settle.push(() => w.reject(err))
      }
    }
    try {
      await this.store.write(batch)
    } catch (err) {
      // A failed disk write leaves memory ahead of disk: stop serving rather than guess.
      // The service manager restarts the server, which reloads what was durably written.
      this.failed = new StoreUnavailableError(
        `datastore write failed (${(err as Error).message}); restart the server after fixing the disk`,
      )
      log.error('datastore write failed', { err })
      for (const w of group) w.reject(this.failed)
      this.hub.closeAll(this.failed)
      return
    }
    this.visible = this.head
    for (const r of revisions) this.hub.publish(r.rev, r.changes)
    if (!this.store.keepsValues) for (const row of batch.rows) row.v.value = undefined
    for (const s of settle) s()
  }
}
