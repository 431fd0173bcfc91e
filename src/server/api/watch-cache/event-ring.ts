// A fixed-capacity ring of recent events, ordered by revision, so watches can start from any
// resourceVersion inside the window. Older starts get 410 Expired, as upstream's watch cache.
import type { WatchEventType } from '../../client/types.ts'
import type { KubeObject } from '../../registry/types.ts'

export interface CachedEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED'
  revision: number
  key: string
  /** the new state; for DELETED the last state with resourceVersion = the delete's revision */
  object: KubeObject
  /** the state before (MODIFIED, DELETED) */
  prev?: KubeObject
  /** `{"type":..,"object":..}` per delivered type, serialized once and shared by every watcher */
  lines?: Partial<Record<WatchEventType, string>>
}

export class EventRing {
  private buf: (CachedEvent | undefined)[]
  private head = 0 // index of the oldest
  size = 0
  /** events with revision > windowStart are all in the ring */
  windowStart: number

  constructor(
    readonly capacity: number,
    start: number,
  ) {
    this.buf = new Array(capacity)
    this.windowStart = start
  }

  push(e: CachedEvent): void {
    if (this.size === this.capacity) {
      const old = this.buf[this.head]!
      this.buf[this.head] = undefined
      this.head = (this.head + 1) % this.capacity
      this.size--
      // Several events may share a revision (one txn): drop the window to below the evicted one.
      this.windowStart = Math.max(this.windowStart, old.revision)
    }
    this.buf[(this.head + this.size) % this.capacity] = e
    this.size++
  }

  at(i: number): CachedEvent {
    return this.buf[(this.head + i) % this.capacity]!
  }

  /** Events with revision > rev, oldest first. Caller checks rev >= windowStart. */
  since(rev: number): CachedEvent[] {
    let lo = 0
    let hi = this.size
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.at(mid).revision <= rev) lo = mid + 1
      else hi = mid
    }
    const out: CachedEvent[] = []
    for (let i = lo; i < this.size; i++) out.push(this.at(i))
    return out
  }

  reset(start: number): void {
    this.buf = new Array(this.capacity)
    this.head = 0
    this.size = 0
    this.windowStart = start
  }
}
