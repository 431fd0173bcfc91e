// Finishes namespace deletion as kube-controller-manager's namespace controller does: once a namespace
// carries a deletionTimestamp, delete every namespaced object in it, then drop the `kubernetes` finalizer
// (PUT .../finalize) and delete the namespace for good. Objects that linger (graceful pods, finalizers)
// are retried after a short delay. Lives with the API step until the control plane's controller library
// takes it over; without it `kubectl delete namespace` would wait forever.
import { logger } from '../../shared/log.ts'
import type { UserInfo } from '../auth/types.ts'
import type { WatchHandle } from '../client/types.ts'
import type { KubeObject, Registry, ResourceDef } from '../registry/index.ts'
import type { RequestContext, ResourceStore } from './store/types.ts'

const log = logger('namespace-finalizer')
const SYSTEM: UserInfo = { name: 'system:serviceaccount:kube-system:namespace-controller', groups: ['system:masters'] }
const RETRY_MS = 1000
const ctx = (): RequestContext => ({ user: SYSTEM, warnings: [] })

export class NamespaceFinalizer {
  private busy = new Set<string>()
  private watch?: WatchHandle
  private timers = new Set<ReturnType<typeof setTimeout>>()
  private stopped = false

  constructor(
    private registry: Registry,
    private storeFor: (def: ResourceDef) => ResourceStore,
  ) {}

  private get namespaces(): ResourceStore {
    return this.storeFor(this.registry.get('', 'v1', 'namespaces')!)
  }

  async start(): Promise<void> {
    const list = await this.namespaces.list(undefined, {})
    for (const ns of list.items) this.consider(ns)
    this.watch = this.namespaces.watch(undefined, { resourceVersion: list.resourceVersion }, (e) => {
      if (e.type === 'ADDED' || e.type === 'MODIFIED') this.consider(e.object as KubeObject)
    })
  }

  stop(): void {
    this.stopped = true
    this.watch?.stop()
    for (const t of this.timers) clearTimeout(t)
  }

  private consider(ns: KubeObject): void {
    const name = ns.metadata?.name
    if (!name || !ns.metadata?.deletionTimestamp || this.busy.has(name) || this.stopped) return
    this.busy.add(name)
    this.finalize(name)
      .then((done) => {
        this.busy.delete(name)
        if (!done && !this.stopped) {
          const t = setTimeout(() => {
            this.timers.delete(t)
            this.namespaces.get(undefined, name).then(
              (n) => this.consider(n),
              () => {},
            )
          }, RETRY_MS)
          this.timers.add(t)
        }
      })
      .catch((err) => {
        this.busy.delete(name)
        log.warn('namespace deletion failed', { namespace: name, err })
      })
  }

  /** true when the namespace is gone (or finalized); false to retry later. */
  private async finalize(name: string): Promise<boolean> {
    let remaining = 0
    for (const def of this.registry.all()) {
      if (!def.namespaced || !(def.verbs ?? ['deletecollection']).includes('deletecollection')) continue
      const store = this.storeFor(def)
      try {
        const left = await store.list(name, { limit: 1 })
        if (!left.items.length) continue
        await store.deleteCollection(name, {}, { propagationPolicy: 'Background' }, ctx())
        remaining += (await store.list(name, { limit: 1 })).items.length
      } catch (err) {
        log.debug('emptying namespace', { namespace: name, resource: def.plural, err })
        remaining++
      }
    }
    if (remaining) return false
    let ns: KubeObject
    try {
      ns = await this.namespaces.get(undefined, name)
    } catch {
      return true
    }
    const finalizers: string[] = ns.spec?.finalizers ?? []
    if (finalizers.length) {
      const next = { ...ns, spec: { ...ns.spec, finalizers: finalizers.filter((f) => f !== 'kubernetes') } }
      await this.namespaces.update(undefined, name, next, ctx(), 'finalize')
    }
    try {
      await this.namespaces.delete(undefined, name, {}, ctx())
    } catch (err: any) {
      if (err?.code !== 404) throw err
    }
    return true
  }
}
