// createApiStorage: the REST storage of every kind — one ResourceStore per ResourceDef (built lazily,
// CRDs included), one watch cache per storage prefix, all fed by one datastore watch.

import type { Backend } from '../../../datastore/backend.ts'
import type { KubeObject, ResourceDef } from '../../registry/types.ts'
import { repairAllocations } from '../allocators/repair.ts'
import { RevisionFeed } from '../watch-cache/revision-feed.ts'
import { WatchCache } from '../watch-cache/watch-cache.ts'
import { objectAdmission, type SchemaValidator } from './admission.ts'
import { componentStatusStore, isComponentStatuses } from './component-statuses.ts'
import { eventsConversion } from './conversions/events.ts'
import { hpaV1Conversion } from './conversions/hpa.ts'
import { EventLeases } from './event-leases.ts'
import { resourcePrefix } from './keys.ts'
import type { KindStrategy } from './kind-strategy.ts'
import { decodeFromStorage } from './object-meta.ts'
import { CoreResourceStore } from './resource-store.ts'
import { serviceStrategy } from './services/service-strategy.ts'
import type { Conversion, NamespaceState, StoreCore } from './store-core.ts'
import { strategyFor } from './strategies/index.ts'
import { rbacStrategies } from './strategies/rbac.ts'
import type { ResourceStore } from './types.ts'

/** The part of the registry storage needs (src/server/registry Registry satisfies it). */
export interface DefSource {
  all(): ResourceDef[]
  get(group: string, version: string, plural: string): ResourceDef | undefined
}

export interface ApiStorageOptions {
  /** a started backend */
  backend: Backend
  registry: DefSource
  /** --service-cidr, default 10.43.0.0/16 */
  serviceCidr?: string
  /** --service-node-port-range, default 30000-32767 */
  nodePortRange?: string
  /** the registry's schema validation (fieldValidation aware); none = hooks only */
  schemaValidator?: SchemaValidator
  /** events kept per resource for watches from older resourceVersions (default 10000) */
  watchCacheCapacity?: number
  bookmarkIntervalMs?: number
  /** --event-ttl in seconds (default 3600): Events are written with a lease and expire */
  eventTtlSeconds?: number
  /** extra per-kind strategies keyed `group/plural` */
  strategies?: Record<string, KindStrategy>
}

export interface ApiStorage {
  readonly backend: Backend
  storeFor(def: ResourceDef): ResourceStore
  /** every built-in resource's watch cache primed */
  ready: Promise<void>
  /** current objects of a resource from its watch cache (synchronous; empty until primed) */
  snapshot(def: ResourceDef, namespace?: string): KubeObject[]
  /** runs cb after every applied change to the resource (RBAC caches invalidate on it) */
  onChange(def: ResourceDef, cb: () => void): () => void
  /** the revision every watch cache has applied */
  revision(): number
  /** per stored resource (`deployments.apps`): objects in its watch cache and watchers on it (/metrics) */
  cacheStats(): { resource: string; objects: number; watchers: number }[]
  /** stops the feed and every watch (the backend stays open: its owner closes it) */
  close(): void
}

/** Kinds served in two shapes from one storage (upstream stores one version and converts). */
function conversionFor(def: ResourceDef): Conversion | undefined {
  if (def.group === 'events.k8s.io' && def.plural === 'events') return eventsConversion
  if (def.group === 'autoscaling' && def.plural === 'horizontalpodautoscalers' && def.version === 'v1')
    return hpaV1Conversion
  return undefined
}

export function createApiStorage(opts: ApiStorageOptions): ApiStorage {
  const { backend, registry } = opts
  const feed = new RevisionFeed(backend)
  feed.start()
  const caches = new Map<string, WatchCache>()
  const stores = new WeakMap<ResourceDef, CoreResourceStore>()
  // kinds computed on read rather than stored (componentstatuses)
  const virtualStores = new WeakMap<ResourceDef, ResourceStore>()
  const admission = objectAdmission(opts.schemaValidator)
  const eventLeases = new EventLeases(backend, opts.eventTtlSeconds ?? 3600)
  const builtin: Record<string, KindStrategy> = {
    '/services': serviceStrategy(backend, {
      serviceCidr: opts.serviceCidr ?? '10.43.0.0/16',
      nodePortRange: opts.nodePortRange ?? '30000-32767',
    }),
  }
  // privilege-escalation checks read the same RBAC objects the authorizer does (the watch caches)
  const rbacDef = (plural: string) => registry.get('rbac.authorization.k8s.io', 'v1', plural)
  const rbacObjects = (plural: string, ns?: string) => {
    const d = rbacDef(plural)
    return d ? snapshotOf(d, ns) : []
  }
  Object.assign(
    builtin,
    rbacStrategies({
      roles: (ns) => rbacObjects('roles', ns),
      roleBindings: (ns) => rbacObjects('rolebindings', ns),
      clusterRoles: () => rbacObjects('clusterroles'),
      clusterRoleBindings: () => rbacObjects('clusterrolebindings'),
    }),
  )
  const strategies: Record<string, KindStrategy> = { ...builtin, ...opts.strategies }
  // A provided strategy for a kind with a built-in one (admission wrappers such as ResourceQuota around
  // services) must not drop the built-in's allocations: its hooks win, and prepareCreate runs both.
  for (const [key, own] of Object.entries(builtin)) {
    const provided = opts.strategies?.[key]
    if (!provided) continue
    strategies[key] = {
      ...provided,
      ...own,
      prepareCreate(obj) {
        own.prepareCreate?.(obj)
        provided.prepareCreate?.(obj)
      },
    }
  }

  function cacheFor(def: ResourceDef): WatchCache {
    const prefix = resourcePrefix(def)
    let c = caches.get(prefix)
    if (!c) {
      c = new WatchCache({
        prefix,
        backend,
        feed,
        decode: (kv) => decodeFromStorage(kv.value, kv.modRevision),
        capacity: opts.watchCacheCapacity,
        bookmarkIntervalMs: opts.bookmarkIntervalMs,
      })
      caches.set(prefix, c)
    }
    return c
  }

  const namespaceDef = (): ResourceDef =>
    registry.get('', 'v1', 'namespaces') ?? {
      group: '',
      version: 'v1',
      kind: 'Namespace',
      plural: 'namespaces',
      singular: 'namespace',
      namespaced: false,
    }

  async function namespaceState(ns: string): Promise<NamespaceState> {
    const cache = cacheFor(namespaceDef())
    const key = `${resourcePrefix(namespaceDef())}${ns}`
    let obj = cache.isReady ? cache.get(key) : undefined
    if (!obj) {
      // the cache may lag a namespace created a moment ago: ask the datastore (upstream does the same)
      const r = await backend.range({ key, limit: 1 })
      if (!r.kvs[0]) return 'missing'
      obj = decodeFromStorage(r.kvs[0].value, r.kvs[0].modRevision)
    }
    return obj.metadata?.deletionTimestamp || obj.status?.phase === 'Terminating' ? 'terminating' : 'active'
  }

  function storeFor(def: ResourceDef): ResourceStore {
    if (isComponentStatuses(def)) {
      let v = virtualStores.get(def)
      if (!v) virtualStores.set(def, (v = componentStatusStore(def, backend)))
      return v
    }
    let s = stores.get(def)
    if (!s) {
      const isEvent = def.plural === 'events' && (def.group === '' || def.group === 'events.k8s.io')
      const core: StoreCore = {
        def,
        prefix: resourcePrefix(def),
        backend,
        feed,
        cache: cacheFor(def),
        strategy: strategyFor(def, strategies),
        admission,
        namespaceState,
        leaseFor: isEvent ? () => eventLeases.current() : undefined,
        conversion: conversionFor(def),
        lookup: (g, v, p) => {
          const d = registry.get(g, v, p)
          return d ? storeFor(d) : undefined
        },
      }
      s = new CoreResourceStore(core)
      stores.set(def, s)
    }
    return s
  }

  function snapshotOf(def: ResourceDef, namespace?: string): KubeObject[] {
    const c = cacheFor(def)
    return c.isReady ? c.snapshot(namespace) : []
  }

  for (const def of registry.all()) cacheFor(def)
  cacheFor(namespaceDef())
  const servicesDef = registry.get('', 'v1', 'services')
  const ready = Promise.all([...caches.values()].map((c) => c.ready)).then(async () => {
    // allocations orphaned or lost while the server was down (or edited behind its back) are repaired first
    if (servicesDef) await repairAllocations(backend, resourcePrefix(servicesDef))
  })

  return {
    backend,
    storeFor,
    ready,
    snapshot: snapshotOf,
    onChange: (def, cb) => cacheFor(def).onChange(cb),
    revision: () => feed.revision,
    cacheStats() {
      const seen = new Set<string>()
      const out: { resource: string; objects: number; watchers: number }[] = []
      for (const def of registry.all()) {
        const prefix = resourcePrefix(def)
        const c = caches.get(prefix)
        if (!c || seen.has(prefix)) continue
        seen.add(prefix)
        const resource = def.group ? `${def.plural}.${def.group}` : def.plural
        out.push({ resource, objects: c.objectCount, watchers: c.watcherCount })
      }
      return out
    },
    close() {
      for (const c of caches.values()) c.close()
      feed.close()
    },
  }
}
