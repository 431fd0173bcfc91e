// Service proxy: Services + EndpointSlices → nftables (kube-proxy's nftables mode), kept applied.
//
// API for the agent:
//   const proxy = await startProxy({
//     source,                 // ServiceSource: list() → { services, endpointSlices } + onChange(cb) → unsubscribe;
//                             // informerSource(serviceInformer, endpointSliceInformer) builds one from informers
//     node: { name, ips },    // this node; endpoints with nodeName === name are local (traffic policies)
//     clusterCidr, serviceCidr,
//     netns?,                 // run nft inside this network namespace (tests, simulated nodes)
//     tableName?,             // default kubun-proxy (family ip)
//     masqueradeAll?, debounceMs? (100), resyncMs? (30000, delta), fullResyncMs? (300000, whole table)
//   })
//   proxy.stop()              // stops following changes; the rules stay (pods keep serving, as k3s)
//   await proxy.syncNow()     // apply now (coalesced with running syncs)
//   proxy.lastError           // last failed sync, undefined once a sync succeeds
// The pure generator is ruleset(services, endpointSlices, node, opts) → nft text, in ruleset.ts.
// Removing the table (kubun killall) is cleanupNetwork() in src/agent/cleanup.ts.
import { host } from '../../cni/exec.ts'
import { RulesetApplier } from './apply.ts'
import { DEFAULT_TABLE, type ProxyNode } from './ruleset.ts'
import { ProxySync, type ServiceSource } from './sync.ts'

export { RulesetApplier } from './apply.ts'
export { type InformerLike, informerSource } from './informer-source.ts'
export { DEFAULT_TABLE, type ProxyNode, type RulesetOptions, ruleset } from './ruleset.ts'
export { ProxySync, type ServiceSource } from './sync.ts'

export interface StartProxyOptions {
  source: ServiceSource
  node: ProxyNode
  clusterCidr: string
  serviceCidr: string
  netns?: string
  tableName?: string
  masqueradeAll?: boolean
  debounceMs?: number
  resyncMs?: number
  fullResyncMs?: number
}

export async function startProxy(o: StartProxyOptions): Promise<ProxySync> {
  const tableName = o.tableName ?? DEFAULT_TABLE
  const sync = new ProxySync({
    source: o.source,
    node: o.node,
    rules: { clusterCidr: o.clusterCidr, serviceCidr: o.serviceCidr, tableName, masqueradeAll: o.masqueradeAll },
    applier: new RulesetApplier(tableName, host(o.netns)),
    debounceMs: o.debounceMs,
    resyncMs: o.resyncMs,
    fullResyncMs: o.fullResyncMs,
  })
  await sync.start()
  return sync
}
