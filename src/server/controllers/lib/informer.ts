// An informer (client-go's SharedIndexInformer): list, then watch from the list's resourceVersion into
// an indexed cache; re-list when the watch says 410 Gone or sends ERROR; re-watch from the last seen
// resourceVersion when a watch simply ends. Handlers run synchronously on each change and should only
// enqueue keys. A resync period replays every cached object to the update handlers.
import { logger } from '../../../shared/log.ts'
import type { Client, ResourceRef, WatchEvent, WatchHandle } from '../../client/types.ts'
import type { KubeObject } from '../../registry/types.ts'
import { keyOf } from './object-key.ts'

const log = logger('informer')

export interface EventHandlers<T = KubeObject> {
  add?(obj: T): void
  update?(oldObj: T, newObj: T): void
  /** the last known state of the deleted object */
  delete?(obj: T): void
}

/** Index function: the values under which an object is indexed (e.g. its owner uids). */
export type IndexFunc<T = KubeObject> = (obj: T) => string[]

export interface InformerOptions {
  labelSelector?: string
  fieldSelector?: string
  /** replay the cache to update handlers this often; 0 = never */
  resyncMs?: number
  /** wait before re-listing after a failure */
  retryMs?: number
}

export class Informer<T extends KubeObject = KubeObject> {
  private items = new Map<string, T>()
  private indexers = new Map<string, IndexFunc<T>>()
  private indexes = new Map<string, Map<string, Set<string>>>()
  private handlers: EventHandlers<T>[] = []
  private watch?: WatchHandle
  private stopped = false
  private started = false
  private lastRv = ''
  private resyncTimer?: ReturnType<typeof setInterval>
  private rvWaiters: { rv: number; resolve: () => void }[] = []
  private markSynced!: () => void
  private synced = false
  /** resolves once the first list is in the cache (and its add handlers have run) */
  readonly hasSynced: Promise<void> = new Promise((r) => (this.markSynced = r))

  constructor(
    private client: Client,
    readonly ref: ResourceRef,
    private opts: InformerOptions = {},
  ) {
    this.addIndexer('namespace', byNamespace as IndexFunc<T>)
  }

  get isSynced(): boolean {
    return this.synced
  }

  /** Resolves once the cache has seen resourceVersion `rv` (a write's result), so a reconcile that just
   * wrote does not act again on a cache that misses its own writes (what upstream's "expectations" do).
   * Gives up after timeoutMs and resolves anyway: the next reconcile corrects from the fresh cache. */
  waitForResourceVersion(rv: string | undefined, timeoutMs = 5000): Promise<void> {
    const want = Number(rv)
    if (!rv || !Number.isFinite(want) || Number(this.lastRv) >= want) return Promise.resolve()
    return new Promise((resolve) => {
      const w = { rv: want, resolve: () => {} }
      const t = setTimeout(() => {
        this.rvWaiters = this.rvWaiters.filter((x) => x !== w)
        resolve()
      }, timeoutMs)
      w.resolve = () => {
        clearTimeout(t)
        resolve()
      }
      this.rvWaiters.push(w)
    })
  }

  private seen(rv: string): void {
    this.lastRv = rv
    if (this.rvWaiters.length === 0) return
    const n = Number(rv)
    const ready = this.rvWaiters.filter((w) => w.rv <= n)
    if (ready.length === 0) return
    this.rvWaiters = this.rvWaiters.filter((w) => w.rv > n)
    for (const w of ready) w.resolve()
  }

  addIndexer(name: string, fn: IndexFunc<T>): void {
    if (this.indexers.has(name)) return
    this.indexers.set(name, fn)
    const index = new Map<string, Set<string>>()
    this.indexes.set(name, index)
    for (const [key, obj] of this.items) this.indexInto(index, fn, key, obj)
  }

  /** Handlers added after the first list get an add for every cached object, as client-go does. */
  addHandler(h: EventHandlers<T>): void {
    this.handlers.push(h)
    if (this.synced) for (const obj of this.items.values()) h.add?.(obj)
  }

  start(): void {
    if (this.started) return
    this.started = true
    void this.listAndWatch()
    if (this.opts.resyncMs) {
      this.resyncTimer = setInterval(() => {
        for (const obj of this.items.values()) for (const h of this.handlers) h.update?.(obj, obj)
      }, this.opts.resyncMs)
    }
  }

  stop(): void {
    this.stopped = true
    if (this.resyncTimer) clearInterval(this.resyncTimer)
    this.watch?.stop()
  }

  get(key: string): T | undefined {
    return this.items.get(key)
  }

  getByName(namespace: string | undefined, name: string): T | undefined {
    return this.items.get(namespace ? `${namespace}/${name}` : name)
  }

  list(namespace?: string): T[] {
    if (namespace === undefined) return [...this.items.values()]
    return this.byIndex('namespace', namespace)
  }

  keys(): string[] {
    return [...this.items.keys()]
  }

  byIndex(name: string, value: string): T[] {
    const index = this.indexes.get(name)
    if (!index)
      throw new Error(`informer for ${this.ref.resource} has no index "${name}"; add it with addIndexer before use`)
    const keys = index.get(value)
    if (!keys) return []
    const out: T[] = []
    for (const k of keys) {
      const o = this.items.get(k)
      if (o) out.push(o)
    }
    return out
  }

  private async listAndWatch(): Promise<void> {
    while (!this.stopped) {
      try {
        const l = await this.client.list<T>(this.ref, {
          labelSelector: this.opts.labelSelector,
          fieldSelector: this.opts.fieldSelector,
          resourceVersion: '0',
        })
        if (this.stopped) return
        this.replace(l.items)
        this.seen(l.resourceVersion)
        if (!this.synced) {
          this.synced = true
          this.markSynced()
        }
        // watch until it fails with an error that needs a fresh list
        while (!this.stopped && (await this.watchOnce())) {}
      } catch (err) {
        if (this.stopped) return
        log.warn('list failed; retrying', { resource: this.ref.resource, err })
        await Bun.sleep(this.opts.retryMs ?? 1000)
      }
    }
  }

  /** One watch from lastRv. Returns true to watch again, false to re-list. */
  private async watchOnce(): Promise<boolean> {
    let relist = false
    try {
      this.watch = this.client.watch<T>(
        this.ref,
        {
          resourceVersion: this.lastRv,
          labelSelector: this.opts.labelSelector,
          fieldSelector: this.opts.fieldSelector,
          allowBookmarks: true,
        },
        (e) => {
          if (relist) return
          if (e.type === 'ERROR') {
            relist = true
            this.watch?.stop()
            return
          }
          this.apply(e)
        },
      )
    } catch (err) {
      // 410 Expired (our resourceVersion left the watch window) or anything else: list again
      if ((err as { code?: number }).code !== 410)
        log.warn('watch failed; re-listing', { resource: this.ref.resource, err })
      return false
    }
    try {
      await this.watch.done
    } catch (err) {
      if ((err as { code?: number }).code !== 410)
        log.debug('watch ended with an error; re-listing', { resource: this.ref.resource, err })
      return false
    }
    return !relist
  }

  private apply(e: WatchEvent<T>): void {
    const rv = e.object?.metadata?.resourceVersion
    if (e.type === 'BOOKMARK') {
      if (rv) this.seen(rv)
      return
    }
    const key = keyOf(e.object)
    const old = this.items.get(key)
    if (e.type === 'DELETED') {
      if (!old) {
        if (rv) this.seen(rv)
        return
      }
      this.remove(key, old)
      for (const h of this.handlers) h.delete?.(e.object)
      if (rv) this.seen(rv)
      return
    }
    this.put(key, e.object, old)
    for (const h of this.handlers) {
      if (old) h.update?.(old, e.object)
      else h.add?.(e.object)
    }
    if (rv) this.seen(rv)
  }

  /** A fresh list: objects missing from it are deletions, changed ones updates (client-go Replace). */
  private replace(items: T[]): void {
    const seen = new Set<string>()
    for (const obj of items) {
      const key = keyOf(obj)
      seen.add(key)
      const old = this.items.get(key)
      if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) continue
      this.put(key, obj, old)
      for (const h of this.handlers) {
        if (old) h.update?.(old, obj)
        else h.add?.(obj)
      }
    }
    for (const [key, old] of [...this.items]) {
      if (seen.has(key)) continue
      this.remove(key, old)
      for (const h of this.handlers) h.delete?.(old)
    }
  }

  private put(key: string, obj: T, old: T | undefined): void {
    if (old) this.unindex(key, old)
    this.items.set(key, obj)
    for (const [name, fn] of this.indexers) this.indexInto(this.indexes.get(name)!, fn, key, obj)
  }

  private remove(key: string, old: T): void {
    this.unindex(key, old)
    this.items.delete(key)
  }

  private indexInto(index: Map<string, Set<string>>, fn: IndexFunc<T>, key: string, obj: T): void {
    for (const v of fn(obj)) {
      let s = index.get(v)
      if (!s) index.set(v, (s = new Set()))
      s.add(key)
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indexes.get(name)!
      for (const v of fn(obj)) {
        const s = index.get(v)
        s?.delete(key)
        if (s?.size === 0) index.delete(v)
      }
    }
  }
}

/** The indexes every informer carries. */
export const byNamespace: IndexFunc = (o) => (o.metadata?.namespace ? [o.metadata.namespace] : [])
export const byOwnerUid: IndexFunc = (o) => (o.metadata?.ownerReferences ?? []).map((r: { uid: string }) => r.uid)
/** Objects without a controlling owner, by namespace: what controllers may adopt. */
export const orphansByNamespace: IndexFunc = (o) =>
  o.metadata?.namespace && !(o.metadata.ownerReferences ?? []).some((r: { controller?: boolean }) => r.controller)
    ? [o.metadata.namespace]
    : []
export const byNodeName: IndexFunc = (o) => (o.spec?.nodeName ? [o.spec.nodeName] : [])
