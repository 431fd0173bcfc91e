// One datastore watch over the whole keyspace, fanned out to the per-resource watch caches by key prefix.
// Watching everything (not only /registry/) means every revision passes through here, so `revision`
// is exactly "the datastore as of this revision has been applied to every cache" — the fact consistent
// reads wait for (upstream's consistent-list-from-cache waits on a progress notification for the same).
import type { Backend, WatchEvent as KvEvent, Watcher } from '../../../datastore/backend.ts'
import { logger } from '../../../shared/log.ts'

const log = logger('watch-cache')

export interface FeedSubscriber {
  /** events of one revision under the subscriber's prefix, in order */
  apply(events: KvEvent[], revision: number): void
  /** the feed lost events (compacted while lagging, store closed): drop state and re-prime */
  reset(revision: number): void
}

export class RevisionFeed {
  /** every revision <= this has been delivered to the subscribers */
  revision = 0
  private watcher?: Watcher
  private subs = new Map<string, FeedSubscriber>()
  private waiters: { rev: number; resolve: () => void }[] = []
  private closed = false

  constructor(private backend: Backend) {}

  start(): void {
    this.revision = this.backend.currentRevision()
    this.open()
  }

  private open() {
    this.watcher = this.backend.watch(
      { key: '\0', rangeEnd: '\0', startRevision: this.revision + 1 },
      { onEvents: (evs) => this.deliver(evs), onError: (err) => this.failed(err) },
    )
  }

  subscribe(prefix: string, sub: FeedSubscriber): () => void {
    this.subs.set(prefix, sub)
    return () => this.subs.delete(prefix)
  }

  private deliver(events: KvEvent[]) {
    if (events.length === 0) return
    const revision = events[0].kv.modRevision
    const groups = new Map<FeedSubscriber, KvEvent[]>()
    for (const e of events) {
      const sub = this.route(e.kv.key)
      if (!sub) continue
      const g = groups.get(sub)
      if (g) g.push(e)
      else groups.set(sub, [e])
    }
    for (const [sub, evs] of groups) sub.apply(evs, revision)
    this.advance(revision)
  }

  /** Keys are `/registry/<resource>/...` or `/registry/<group>/<plural>/...` (also `services/specs`): try 2 then 3 segments. */
  private route(key: string): FeedSubscriber | undefined {
    if (!key.startsWith('/registry/')) return undefined
    let i = key.indexOf('/', 10)
    if (i < 0) return undefined
    const two = this.subs.get(key.slice(0, i + 1))
    if (two) return two
    i = key.indexOf('/', i + 1)
    return i < 0 ? undefined : this.subs.get(key.slice(0, i + 1))
  }

  private advance(revision: number) {
    if (revision <= this.revision) return
    this.revision = revision
    if (this.waiters.length === 0) return
    const ready = this.waiters.filter((w) => w.rev <= revision)
    this.waiters = this.waiters.filter((w) => w.rev > revision)
    for (const w of ready) w.resolve()
  }

  /** Resolves true once every revision <= rev has been applied, false after timeoutMs. */
  waitFor(rev: number, timeoutMs: number): Promise<boolean> {
    if (rev <= this.revision) return Promise.resolve(true)
    return new Promise((resolve) => {
      const w = {
        rev,
        resolve: () => {
          clearTimeout(timer)
          resolve(true)
        },
      }
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w)
        resolve(false)
      }, timeoutMs)
      this.waiters.push(w)
    })
  }

  /** Revisions that wrote nothing we watch still count: the store's own revision is the target. */
  waitForCurrent(timeoutMs: number): Promise<boolean> {
    return this.waitFor(this.backend.currentRevision(), timeoutMs)
  }

  private failed(err: Error) {
    if (this.closed) return
    log.warn('datastore watch ended; re-priming every watch cache', { err })
    this.watcher?.cancel()
    this.watcher = undefined
    // first recovery at once, later ones paced so a failing store cannot spin the event loop
    const t = setTimeout(() => this.recover(), this.failures++ === 0 ? 0 : 1000)
    t.unref?.()
  }

  private failures = 0

  private recover() {
    if (this.closed) return
    this.revision = this.backend.currentRevision()
    for (const sub of this.subs.values()) sub.reset(this.revision)
    try {
      this.open()
    } catch (err) {
      this.failed(err as Error)
    }
  }

  close(): void {
    this.closed = true
    this.watcher?.cancel()
    for (const w of this.waiters) w.resolve()
    this.waiters = []
  }
}
