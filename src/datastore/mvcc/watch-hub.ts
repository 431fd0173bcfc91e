// Watch fan-out from the writer, in-process (no polling). A watcher is either synced (gets each
// revision's events as it becomes visible) or catching up (replays the index's write log from
// its next revision, a chunk per event-loop turn). The switch to synced happens in the same
// synchronous step that finds no more history, so no revision is skipped or repeated at the seam.
import type { KeyValue, WatchCallbacks, WatchEvent, Watcher, WatchRequest } from '../backend.ts'
import { CompactedError } from '../errors.ts'
import type { KeyIndex } from './key-index.ts'
import { inRange } from './key-range.ts'
import { type Change, toKeyValue, type Version } from './version.ts'

export interface WatchSource {
  index: KeyIndex
  visibleRev(): number
  compactRev(): number
  value(v: Version): Uint8Array
}

interface Watch {
  req: WatchRequest
  cb: WatchCallbacks
  /** next revision to deliver */
  next: number
  synced: boolean
  done: boolean
}

const REPLAY_ROWS = 1000

export class WatchHub {
  private watches = new Set<Watch>()

  constructor(private src: WatchSource) {}

  get size(): number {
    return this.watches.size
  }

  /** Registers a watch; the caller has validated startRevision against the compact revision. */
  add(req: WatchRequest, cb: WatchCallbacks): Watcher & { progressRevision(): number } {
    const now = this.src.visibleRev()
    const next = req.startRevision && req.startRevision > 0 ? req.startRevision : now + 1
    const w: Watch = { req, cb, next, synced: next > now, done: false }
    this.watches.add(w)
    // The first replay step runs as soon as the caller holds the Watcher; later ones yield.
    if (!w.synced) queueMicrotask(() => this.catchUp(w))
    return {
      cancel: () => this.remove(w),
      progressRevision: () => (w.synced ? this.src.visibleRev() : w.next - 1),
    }
  }

  /** Called right after `rev` became visible, with its changes in op order. */
  publish(rev: number, changes: Change[]): void {
    if (!this.watches.size) return
    const kvs = new Materializer(this.src, rev, changes)
    for (const w of this.watches) {
      if (!w.synced || w.next > rev) continue
      w.next = rev + 1
      this.deliver(w, kvs)
    }
  }

  /** Ends every watch with `err` (store closed). */
  closeAll(err: Error): void {
    for (const w of [...this.watches]) this.fail(w, err)
  }

  private catchUp(w: Watch): void {
    if (w.done) return
    const compactRev = this.src.compactRev()
    if (w.next < compactRev) {
      this.fail(w, new CompactedError(w.next, compactRev))
      return
    }
    const to = this.src.visibleRev()
    if (w.next > to) {
      w.synced = true
      return
    }
    const rows = this.src.index.history(w.next, to, REPLAY_ROWS)
    let i = 0
    while (i < rows.length && !w.done) {
      const rev = rows[i].v.rev
      let j = i
      while (j < rows.length && rows[j].v.rev === rev) j++
      w.next = rev + 1
      this.deliver(w, new Materializer(this.src, rev, rows.slice(i, j)))
      i = j
    }
    // Fewer rows than asked, or the last one at `to`: the log holds nothing more up to `to`.
    if (rows.length < REPLAY_ROWS || rows[rows.length - 1].v.rev === to) w.next = Math.max(w.next, to + 1)
    if (w.next > to && !w.done) w.synced = true
    else if (!w.done) setImmediate(() => this.catchUp(w))
  }

  private deliver(w: Watch, m: Materializer): void {
    const events: WatchEvent[] = []
    for (let i = 0; i < m.changes.length; i++) {
      if (inRange(m.changes[i].key, w.req.key, w.req.rangeEnd)) events.push(m.event(i, !!w.req.prevKv))
    }
    if (!events.length) return
    try {
      w.cb.onEvents(events)
    } catch (err) {
      this.fail(w, err instanceof Error ? err : new Error(String(err)))
    }
  }

  private fail(w: Watch, err: Error): void {
    if (w.done) return
    this.remove(w)
    w.cb.onError?.(err)
  }

  private remove(w: Watch): void {
    w.done = true
    this.watches.delete(w)
  }
}

/** Builds each event's KeyValues once per revision, however many watchers share it. */
class Materializer {
  private kvs: (KeyValue | undefined)[] = []
  private prevs: (KeyValue | undefined)[] = []

  constructor(
    private src: WatchSource,
    readonly rev: number,
    readonly changes: Change[],
  ) {}

  event(i: number, withPrev: boolean): WatchEvent {
    const c = this.changes[i]
    const kv = (this.kvs[i] ??= toKeyValue(c.key, c.v, c.v.version ? this.src.value(c.v) : undefined))
    const ev: WatchEvent = { type: c.v.version ? 'put' : 'delete', kv }
    if (withPrev && c.prev) ev.prevKv = this.prevs[i] ??= toKeyValue(c.key, c.prev, this.src.value(c.prev))
    return ev
  }
}
