// One open watch on a watch cache: filters events by namespace and selector (an object leaving the
// selector is delivered as DELETED, one entering as ADDED, as upstream's cacheWatcher), queues behind a
// consumer that applies backpressure, and ends on stop, timeoutSeconds, or when it falls too far behind.
import type { ApiError } from '../../../shared/errors.ts'
import type { WatchEvent, WatchEventType, WatchHandle } from '../../client/types.ts'
import type { KubeObject } from '../../registry/types.ts'
import type { Selector } from '../selectors/index.ts'
import type { CachedEvent } from './event-ring.ts'

/** A delivered event. `json()` is `{"type":..,"object":..}`, serialized once per cache event and shared. */
export interface CacheWatchEvent extends WatchEvent {
  json(): string
}

export interface WatcherOptions {
  /** key prefix the watch is limited to (resource prefix, or prefix + namespace + '/') */
  keyPrefix: string
  selector: Selector
  /** queued events beyond this end the watch: a stuck consumer must not hold memory or block others */
  maxQueue: number
  timeoutSeconds?: number
  /** BOOKMARK every this many ms (undefined = none) */
  bookmarkMs?: number
  bookmark: () => KubeObject
}

type Listener = (e: WatchEvent) => unknown

export class CacheWatcher implements WatchHandle {
  readonly done: Promise<void>
  private finish!: () => void
  private queue: CacheWatchEvent[] = []
  private busy = false
  private ended = false
  private timers: ReturnType<typeof setTimeout>[] = []

  constructor(
    private opts: WatcherOptions,
    private onEvent: Listener,
    private onEnd: (w: CacheWatcher) => void,
  ) {
    this.done = new Promise((r) => (this.finish = r))
    // Deliver from the next microtask on, as a channel would: callers get their handle before the first
    // event (so a callback may stop() it), while everything offered meanwhile queues in order, no gap.
    this.busy = true
    queueMicrotask(() => {
      this.starting = false
      this.drain()
    })
    if (opts.timeoutSeconds && opts.timeoutSeconds > 0)
      this.timers.push(setTimeout(() => this.stop(), opts.timeoutSeconds * 1000))
    if (opts.bookmarkMs) {
      const t = setInterval(() => this.send(plain('BOOKMARK', opts.bookmark())), opts.bookmarkMs)
      this.timers.push(t)
    }
  }

  get stopped(): boolean {
    return this.ended
  }

  /** Synthetic ADDED for the initial state (watch without a resourceVersion). */
  initial(obj: KubeObject): void {
    if (this.opts.selector.matches(obj)) this.send(plain('ADDED', obj))
  }

  offer(e: CachedEvent): void {
    if (this.ended || !e.key.startsWith(this.opts.keyPrefix)) return
    const sel = this.opts.selector
    if (sel.empty) {
      this.send(shared(e, e.type))
      return
    }
    const now = e.type === 'DELETED' ? false : sel.matches(e.object)
    const before = e.prev ? sel.matches(e.prev) : false
    if (e.type === 'DELETED') {
      if (before) this.send(shared(e, 'DELETED'))
    } else if (now && before) this.send(shared(e, 'MODIFIED'))
    else if (now) this.send(shared(e, 'ADDED'))
    else if (before) this.send(shared(e, 'DELETED'))
  }

  /** Ends the watch with an in-stream ERROR event carrying the Status (e.g. 410 Expired). */
  fail(err: ApiError): void {
    if (this.ended) return
    this.send(plain('ERROR', err.status as unknown as KubeObject))
    this.endAfterQueue = true
    if (!this.busy) this.stop()
  }

  private endAfterQueue = false
  private starting = true

  private send(e: CacheWatchEvent) {
    if (this.ended) return
    if (this.busy) {
      // the initial state may be large; only a consumer that stopped draining is cut off
      if (!this.starting && this.queue.length >= this.opts.maxQueue) this.stop()
      else this.queue.push(e)
      return
    }
    this.deliver(e)
  }

  private deliver(e: CacheWatchEvent) {
    let r: unknown
    try {
      r = this.onEvent(e)
    } catch {
      this.stop()
      return
    }
    if (r instanceof Promise) {
      this.busy = true
      r.then(
        () => this.drain(),
        () => this.stop(),
      )
    }
  }

  private drain() {
    this.busy = false
    while (!this.ended && !this.busy && this.queue.length > 0) this.deliver(this.queue.shift()!)
    if (this.endAfterQueue && !this.busy) this.stop()
  }

  stop(): void {
    if (this.ended) return
    this.ended = true
    this.queue = []
    for (const t of this.timers) clearTimeout(t)
    this.onEnd(this)
    this.finish()
  }
}

function plain(type: WatchEventType, object: KubeObject): CacheWatchEvent {
  let line: string | undefined
  return { type, object, json: () => (line ??= JSON.stringify({ type, object })) }
}

function shared(e: CachedEvent, type: WatchEventType): CacheWatchEvent {
  return {
    type,
    object: e.object,
    json: () => {
      e.lines ??= {}
      return (e.lines[type] ??= JSON.stringify({ type, object: e.object }))
    },
  }
}
