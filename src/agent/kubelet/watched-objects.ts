// The ConfigMaps and Secrets pods read, served from per-object watches (upstream's kubelet default
// ConfigMapAndSecretChangeDetectionStrategy=Watch: one reflector per referenced object, fieldSelector
// metadata.name). A periodic volume refresh or a container start then reads memory instead of GETting
// every object for every pod every 10 s; updates arrive through the watch within moments. A watch
// nobody read for IDLE_MS (no pod uses the object any more) is stopped.
import type { Client } from '../../server/client/types.ts'
import { Informer } from '../../server/controllers/lib/informer.ts'
import type { KubeObject } from '../../server/registry/types.ts'

const IDLE_MS = 120_000
/** how long the first list may take before a read falls back to a plain GET */
const SYNC_WAIT_MS = 3000
/** a fresh watch may lag a just-created object: misses are confirmed with a GET meanwhile */
const CONFIRM_MISSES_MS = 10_000

interface Entry {
  informer: Informer
  startedAt: number
  usedAt: number
}

export class WatchedObjects {
  private readonly entries = new Map<string, Entry>()
  private readonly sweeper: ReturnType<typeof setInterval>
  /** API reads (lists, GETs) issued, for bench figures */
  gets = 0

  constructor(
    private readonly client: Client,
    private readonly idleMs = IDLE_MS,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(idleMs, 60_000))
    this.sweeper.unref?.()
  }

  /** the object, or undefined when it does not exist (API errors other than 404 throw) */
  async get<T extends KubeObject>(resource: string, namespace: string, name: string): Promise<T | undefined> {
    const key = `${resource}/${namespace}/${name}`
    let e = this.entries.get(key)
    if (!e) {
      const informer = new Informer(
        this.client,
        { group: '', version: 'v1', resource, namespace },
        {
          fieldSelector: `metadata.name=${name}`,
        },
      )
      informer.start()
      this.gets++
      e = { informer, startedAt: Date.now(), usedAt: 0 }
      this.entries.set(key, e)
    }
    e.usedAt = Date.now()
    if (!e.informer.isSynced) await Promise.race([e.informer.hasSynced, Bun.sleep(SYNC_WAIT_MS)])
    const hit = e.informer.isSynced ? e.informer.getByName(namespace, name) : undefined
    if (hit) return hit as T
    if (e.informer.isSynced && Date.now() - e.startedAt > CONFIRM_MISSES_MS) return undefined
    this.gets++
    try {
      return await this.client.get<T>({ group: '', version: 'v1', resource, namespace }, name)
    } catch (err) {
      if ((err as { code?: number }).code === 404) return undefined
      throw err
    }
  }

  /** number of open watches */
  get size(): number {
    return this.entries.size
  }

  private sweep(): void {
    const now = Date.now()
    for (const [k, e] of this.entries)
      if (now - e.usedAt > this.idleMs) {
        e.informer.stop()
        this.entries.delete(k)
      }
  }

  stop(): void {
    clearInterval(this.sweeper)
    for (const e of this.entries.values()) e.informer.stop()
    this.entries.clear()
  }
}
