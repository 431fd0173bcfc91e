// The watch cache of one resource prefix (upstream's Cacher): primed by one datastore range, then kept
// current by the revision feed. It answers lists at resourceVersion 0 / consistent lists without reading
// the datastore, serves watches from any revision in its event window, and exposes a synchronous snapshot.
import type { Backend, KeyValue, WatchEvent as KvEvent } from '../../../datastore/backend.ts'
import { CompactedError } from '../../../datastore/errors.ts'
import { prefixEnd } from '../../../datastore/ops.ts'
import { ApiError, expired } from '../../../shared/errors.ts'
import { logger } from '../../../shared/log.ts'
import type { WatchEvent, WatchHandle } from '../../client/types.ts'
import type { KubeObject } from '../../registry/types.ts'
import type { Selector } from '../selectors/index.ts'
import { CacheWatcher } from './cache-watcher.ts'
import { type CachedEvent, EventRing } from './event-ring.ts'
import type { FeedSubscriber, RevisionFeed } from './revision-feed.ts'

const log = logger('watch-cache')

export interface WatchCacheOptions {
  prefix: string
  backend: Backend
  feed: RevisionFeed
  /** stored bytes → object with metadata.resourceVersion = String(kv.modRevision) */
  decode(kv: KeyValue): KubeObject
  /** recent events kept for watches from an older resourceVersion */
  capacity?: number
  /** queued events per slow watcher before it is dropped */
  maxWatcherQueue?: number
  bookmarkIntervalMs?: number
}

export interface CacheWatchRequest {
  /** limits to one namespace (namespaced resources) */
  namespace?: string
  selector: Selector
  resourceVersion?: string
  allowBookmarks?: boolean
  timeoutSeconds?: number
  /** the BOOKMARK object's kind and apiVersion */
  kind: string
  apiVersion: string
}

export class WatchCache implements FeedSubscriber {
  ready: Promise<void>
  /** true once primed (watches can start synchronously) */
  isReady = false
  private objects = new Map<string, KubeObject>()
  private sorted: string[] | undefined
  private ring: EventRing
  private buffered: { events: KvEvent[]; revision: number }[] | undefined = []
  private watchers = new Set<CacheWatcher>()
  private listeners = new Set<() => void>()
  private unsubscribe: () => void

  constructor(private o: WatchCacheOptions) {
    this.ring = new EventRing(o.capacity ?? 10_000, 0)
    this.unsubscribe = o.feed.subscribe(o.prefix, this)
    this.ready = this.prime(o.feed.revision)
  }

  /** the revision the cache reflects (every cache shares the feed's) */
  get revision(): number {
    return this.o.feed.revision
  }

  private async prime(rev: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const objects = new Map<string, KubeObject>()
        const readRev = await this.rangeAll(rev, objects)
        this.objects = objects
        this.sorted = undefined
        this.ring.reset(readRev)
        const pending = this.buffered ?? []
        this.buffered = undefined
        for (const b of pending) if (b.revision > readRev) this.apply(b.events, b.revision)
        this.isReady = true
        return
      } catch (err) {
        if (!(err instanceof CompactedError) || attempt > 3) throw err
        rev = this.o.feed.revision
      }
    }
  }

  private async rangeAll(rev: number, into: Map<string, KubeObject>): Promise<number> {
    const end = prefixEnd(this.o.prefix)
    let key = this.o.prefix
    let readRev = rev
    for (;;) {
      const r = await this.o.backend.range({ key, rangeEnd: end, revision: readRev || undefined, limit: 10_000 })
      if (!readRev) readRev = r.revision
      for (const kv of r.kvs) into.set(kv.key, this.o.decode(kv))
      if (!r.more || r.kvs.length === 0) return readRev
      key = `${r.kvs[r.kvs.length - 1].key}\0`
    }
  }

  apply(events: KvEvent[], revision: number): void {
    if (this.buffered) {
      this.buffered.push({ events, revision })
      return
    }
    for (const e of events) {
      const key = e.kv.key
      const prev = this.objects.get(key)
      let ev: CachedEvent
      if (e.type === 'put') {
        const object = this.o.decode(e.kv)
        if (!prev) this.sorted = undefined
        this.objects.set(key, object)
        ev = { type: prev ? 'MODIFIED' : 'ADDED', revision, key, object, prev }
      } else {
        if (!prev) continue
        this.objects.delete(key)
        this.sorted = undefined
        const object = { ...prev, metadata: { ...prev.metadata, resourceVersion: String(revision) } }
        ev = { type: 'DELETED', revision, key, object, prev }
      }
      this.ring.push(ev)
      for (const w of this.watchers) w.offer(ev)
      // the serialized lines served this fan-out; the ring keeps only objects (a late watcher re-serializes)
      ev.lines = undefined
    }
    for (const l of this.listeners) l()
  }

  reset(revision: number): void {
    for (const w of [...this.watchers]) w.stop()
    this.buffered = []
    this.isReady = false
    this.ready = this.prime(revision)
    this.ready.catch((err) => log.error('re-priming failed', { prefix: this.o.prefix, err }))
  }

  get(key: string): KubeObject | undefined {
    return this.objects.get(key)
  }

  /** Objects under `keyPrefix` (default: all), sorted by key, starting after `afterKey`. Synchronous. */
  list(keyPrefix = this.o.prefix, afterKey?: string): { keys: string[]; objects: Map<string, KubeObject> } {
    this.sorted ??= [...this.objects.keys()].sort()
    const keys = this.sorted
    const from = lowerBound(keys, afterKey !== undefined && afterKey >= keyPrefix ? `${afterKey}\0` : keyPrefix)
    const to = lowerBound(keys, prefixEnd(keyPrefix))
    return { keys: keys.slice(from, to), objects: this.objects }
  }

  /** Current objects, optionally of one namespace, for synchronous readers (RBAC authorizer). */
  snapshot(namespace?: string): KubeObject[] {
    const { keys, objects } = this.list(namespace ? `${this.o.prefix}${namespace}/` : this.o.prefix)
    return keys.map((k) => objects.get(k)!)
  }

  /** Called after each applied revision that touched this resource. Returns an unsubscribe function. */
  onChange(cb: () => void): () => void {
    this.listeners.add(cb)
    return () => this.listeners.delete(cb)
  }

  /** Throws 410 Expired when resourceVersion is older than the window. */
  watch(req: CacheWatchRequest, onEvent: (e: WatchEvent) => unknown): WatchHandle {
    const keyPrefix = req.namespace ? `${this.o.prefix}${req.namespace}/` : this.o.prefix
    const rv = req.resourceVersion && req.resourceVersion !== '0' ? Number(req.resourceVersion) : 0
    if (rv && rv < this.ring.windowStart) throw expired(`too old resource version: ${rv} (${this.ring.windowStart})`)
    const w = new CacheWatcher(
      {
        keyPrefix,
        selector: req.selector,
        maxQueue: this.o.maxWatcherQueue ?? 1000,
        timeoutSeconds: req.timeoutSeconds,
        bookmarkMs: req.allowBookmarks ? (this.o.bookmarkIntervalMs ?? 60_000) : undefined,
        bookmark: () => ({
          kind: req.kind,
          apiVersion: req.apiVersion,
          metadata: { resourceVersion: String(this.revision) },
        }),
      },
      onEvent,
      (x) => this.watchers.delete(x),
    )
    if (!rv) {
      for (const k of this.list(keyPrefix).keys) w.initial(this.objects.get(k)!)
      this.watchers.add(w)
    } else if (rv <= this.revision) {
      for (const e of this.ring.since(rv)) w.offer(e)
      this.watchers.add(w)
    } else {
      // A resourceVersion from the future (another server's list, or a write still in the feed):
      // wait briefly for the feed, as upstream's cacher does, then give up with 504 Timeout.
      this.o.feed.waitFor(rv, 3000).then((ok) => {
        if (w.stopped) return
        if (!ok) return w.fail(tooLarge(rv, this.revision))
        if (rv < this.ring.windowStart)
          return w.fail(expired(`too old resource version: ${rv} (${this.ring.windowStart})`))
        for (const e of this.ring.since(rv)) w.offer(e)
        this.watchers.add(w)
      })
    }
    return w
  }

  get objectCount(): number {
    return this.objects.size
  }

  get watcherCount(): number {
    return this.watchers.size
  }

  close(): void {
    this.unsubscribe()
    for (const w of [...this.watchers]) w.stop()
  }
}

function tooLarge(rv: number, current: number): ApiError {
  return new ApiError(504, 'Timeout', `Timeout: Too large resource version: ${rv}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  })
}

function lowerBound(a: string[], x: string): number {
  let lo = 0
  let hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (a[mid] < x) lo = mid + 1
    else hi = mid
  }
  return lo
}
