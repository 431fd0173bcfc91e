// One etcd Watch stream: many watches multiplexed by watch_id, as etcd's serverWatchStream
// (server/etcdserver/api/v3rpc/watch.go). Transport-free: responses go to `send`, so tests drive it directly.
import type { Backend, WatchEvent, Watcher } from '../backend.ts'
import { CompactedError } from '../errors.ts'
import { header } from './header.ts'
import { eventToWire, keyFromWire, num, rangeEndFromWire } from './wire.ts'

export interface WireWatchCreate {
  key?: Buffer
  range_end?: Buffer
  start_revision?: string
  progress_notify?: boolean
  filters?: ('NOPUT' | 'NODELETE')[]
  prev_kv?: boolean
  watch_id?: string
}
export interface WireWatchRequest {
  create_request?: WireWatchCreate
  cancel_request?: { watch_id?: string }
  progress_request?: Record<string, never>
}

/** etcd sends a progress notification to idle watches that asked for one every 10 minutes. */
export const PROGRESS_INTERVAL_MS = 10 * 60 * 1000
/** How often a deferred progress answer checks again whether every watch has caught up. */
const PROGRESS_RETRY_MS = 10

interface Entry {
  watcher?: Watcher
  progress: boolean
  /** revision of the last event sent; progress notifications never claim less */
  lastRevision: number
  sentSinceTick: boolean
}

export class WatchSession {
  private readonly watches = new Map<number, Entry>()
  private nextId = 0
  private readonly ticker: ReturnType<typeof setInterval>
  private closed = false

  constructor(
    private readonly store: Backend,
    private readonly send: (resp: Record<string, unknown>) => void,
    progressIntervalMs = PROGRESS_INTERVAL_MS,
  ) {
    this.ticker = setInterval(() => this.progressTick(), progressIntervalMs)
    this.ticker.unref?.()
  }

  handle(req: WireWatchRequest): void {
    if (this.closed) return
    if (req.create_request) this.create(req.create_request)
    else if (req.cancel_request) this.cancel(num(req.cancel_request.watch_id))
    else if (req.progress_request) this.requestProgress()
  }

  close(): void {
    this.closed = true
    clearInterval(this.ticker)
    for (const e of this.watches.values()) e.watcher?.cancel()
    this.watches.clear()
  }

  private create(c: WireWatchCreate): void {
    const requested = num(c.watch_id)
    // etcd: watch_id 0 means "assign one"; ids are per stream, counting from 0.
    let id = requested
    if (!requested) {
      while (this.watches.has(this.nextId)) this.nextId++
      id = this.nextId++
    } else if (this.watches.has(requested)) {
      // etcd 3.4 answers a duplicate id with created+canceled and no reason.
      this.send({ header: this.header(), watch_id: -1, created: true, canceled: true })
      return
    }
    const entry: Entry = { progress: !!c.progress_notify, lastRevision: 0, sentSinceTick: false }
    this.watches.set(id, entry)
    const startRevision = num(c.start_revision)
    this.send({ header: this.header(), watch_id: id, created: true })
    const noPut = c.filters?.includes('NOPUT')
    const noDelete = c.filters?.includes('NODELETE')
    try {
      entry.watcher = this.store.watch(
        { key: keyFromWire(c.key), rangeEnd: rangeEndFromWire(c.range_end), startRevision, prevKv: c.prev_kv },
        {
          onEvents: (events) => this.deliver(id, entry, events, noPut, noDelete),
          onError: (err) => this.fail(id, err),
        },
      )
    } catch (err) {
      this.fail(id, err)
    }
  }

  private deliver(id: number, entry: Entry, events: WatchEvent[], noPut?: boolean, noDelete?: boolean): void {
    if (this.closed || this.watches.get(id) !== entry || !events.length) return
    const revision = events[events.length - 1].kv.modRevision
    entry.lastRevision = revision
    const kept = events.filter((e) => !(e.type === 'put' ? noPut : noDelete))
    if (!kept.length) return
    entry.sentSinceTick = true
    this.send({ header: header(revision), watch_id: id, events: kept.map(eventToWire) })
  }

  /** A compacted start revision (or a watcher that fell behind compaction) cancels the watch, as etcd does. */
  private fail(id: number, err: unknown): void {
    const entry = this.watches.get(id)
    if (!entry || this.closed) return
    entry.watcher?.cancel()
    this.watches.delete(id)
    if (err instanceof CompactedError) {
      this.send({ header: this.header(), watch_id: id, canceled: true, compact_revision: err.compactRevision })
    } else {
      this.send({ header: this.header(), watch_id: id, canceled: true, cancel_reason: (err as Error).message })
    }
  }

  private cancel(id: number): void {
    const entry = this.watches.get(id)
    if (!entry) return
    entry.watcher?.cancel()
    this.watches.delete(id)
    this.send({ header: this.header(), watch_id: id, canceled: true })
  }

  /**
   * WatchProgressRequest: etcd answers with watch_id -1 and a revision up to which every watch on
   * the stream has been sent all its events (etcd 3.4.31+/3.5.13+ semantics, which kube-apiserver's
   * consistent reads from cache rely on): the lowest progress revision of this stream's watches.
   */
  private requestProgress(): void {
    this.whenProgressKnown([...this.watches.values()], (revision) =>
      this.send({ header: header(revision), watch_id: -1 }),
    )
  }

  private progressTick(): void {
    for (const [id, entry] of this.watches) {
      if (entry.progress && !entry.sentSinceTick) {
        this.whenProgressKnown([entry], (revision) => {
          if (this.watches.get(id) === entry)
            this.send({ header: header(Math.max(revision, entry.lastRevision)), watch_id: id })
        })
      }
      entry.sentSinceTick = false
    }
  }

  /**
   * Drivers that report progressRevision() (memory, SQLite) deliver a revision's events before it
   * becomes visible, so the answer is immediate once every watch has caught up; a watch still
   * replaying history defers it, as etcd defers progress until its watchers are synced. For other
   * drivers, read the store revision and answer one macrotask later, after the events committed by
   * then have been queued on this stream.
   */
  private whenProgressKnown(entries: Entry[], answer: (revision: number) => void): void {
    if (this.closed) return
    const current = this.store.currentRevision()
    const revisions = entries.map((e) => e.watcher?.progressRevision?.())
    if (revisions.every((r) => r !== undefined)) {
      const revision = Math.min(current, ...(revisions as number[]))
      if (revision >= current) answer(revision)
      else setTimeout(() => this.whenProgressKnown(entries, answer), PROGRESS_RETRY_MS)
      return
    }
    setTimeout(() => {
      if (!this.closed) answer(current)
    }, 0)
  }

  private header() {
    return header(this.store.currentRevision())
  }
}
