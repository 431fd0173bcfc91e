// Pure generator: Services + EndpointSlices + node → nftables text for `nft -f -`, in the design of
// kube-proxy's nftables mode (pkg/proxy/nftables/proxier.go): verdict maps keyed by destination, one chain per
// service port that load-balances with `numgen random`, one chain per endpoint that DNATs, a mark that asks
// for masquerade, and filter chains that reject traffic to services without endpoints.
//
// The text is idempotent to apply: every object is declared with `add` and every chain and map is flushed
// before it is refilled, all in one transaction. Affinity sets are declared but not flushed, so ClientIP
// pinning survives an unrelated change, as in kube-proxy. Objects of services that disappeared are removed by
// the applier (staleObjects), which keeps this function free of state.
import { createHash } from 'node:crypto'
import type { Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import { type Endpoint, type ServicePort, servicePorts } from './service-ports.ts'

export interface RulesetOptions {
  clusterCidr: string
  serviceCidr: string
  /** default kubun-proxy (family ip) */
  tableName?: string
  /** masquerade all service traffic, not only traffic from outside the cluster CIDR (kube-proxy --masquerade-all) */
  masqueradeAll?: boolean
}

export interface ProxyNode {
  name: string
  /** node addresses; NodePorts match any local address through `fib daddr type local`, as kube-proxy's default */
  ips: string[]
}

export const DEFAULT_TABLE = 'kubun-proxy'
/** kube-proxy's masquerade bit */
const MASQ_MARK = '0x00004000'

/** kube-proxy's hashAndTruncate-style prefix: 8 base32 characters of sha256, stable across runs. */
export function chainHash(s: string): string {
  const bytes = createHash('sha256').update(s).digest()
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0
  let value = 0
  let out = ''
  for (const b of bytes) {
    value = (value << 8) | b
    bits += 8
    while (bits >= 5 && out.length < 8) {
      out += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    if (out.length >= 8) break
  }
  return out
}

const named = (prefix: string, base: string) => `${prefix}-${chainHash(base)}-${base}`
const epBase = (sp: ServicePort, e: Endpoint) => `${sp.key}__${e.ip}/${e.port}`
export const serviceChain = (sp: ServicePort) => named('service', sp.key)
export const localChain = (sp: ServicePort) => named('local', sp.key)
export const externalChain = (sp: ServicePort) => named('external', sp.key)
export const endpointChain = (sp: ServicePort, e: Endpoint) => named('endpoint', epBase(sp, e))
export const affinitySet = (sp: ServicePort, e: Endpoint) => named('affinity', epBase(sp, e))

export function ruleset(
  services: Service[],
  endpointSlices: EndpointSlice[],
  node: ProxyNode,
  opts: RulesetOptions,
): string {
  return renderRuleset(servicePorts(services, endpointSlices, node.name), opts)
}

export function renderRuleset(ports: ServicePort[], opts: RulesetOptions): string {
  const t = `ip ${opts.tableName ?? DEFAULT_TABLE}`
  const chains: string[] = []
  const sets: string[] = [] // declarations that are flushed (everything but affinity sets)
  const affinity: string[] = []
  const elements: string[] = []
  const rules: string[] = []
  const chain = (name: string, hook?: string) => chains.push(`add chain ${t} ${name}${hook ? ` { ${hook} ; }` : ''}`)
  const rule = (c: string, r: string) => rules.push(`add rule ${t} ${c} ${r}`)

  // Base chains. Filter chains run at priority 0, after DNAT, so what still has a service destination there
  // was not load-balanced: a service without endpoints, or a port the ClusterIP does not serve.
  chain('filter-input', 'type filter hook input priority 0')
  chain('filter-forward', 'type filter hook forward priority 0')
  chain('filter-output', 'type filter hook output priority 0')
  chain('nat-prerouting', 'type nat hook prerouting priority -100')
  chain('nat-output', 'type nat hook output priority -100') // nft 1.0.6 rejects `dstnat` for output
  chain('nat-postrouting', 'type nat hook postrouting priority 100')
  for (const c of [
    'services',
    'service-endpoints-check',
    'nodeport-endpoints-check',
    'cluster-ips-check',
    'mark-for-masquerade',
    'masquerading',
    'reject-chain',
  ])
    chain(c)
  sets.push(`add set ${t} cluster-ips { type ipv4_addr ; }`)
  sets.push(`add map ${t} service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; }`)
  sets.push(`add map ${t} service-nodeports { type inet_proto . inet_service : verdict ; }`)
  sets.push(`add map ${t} no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict ; }`)
  sets.push(`add map ${t} no-endpoint-nodeports { type inet_proto . inet_service : verdict ; }`)

  const local = 'fib daddr type local ip daddr != 127.0.0.0/8'
  rule('filter-input', 'ct state new jump nodeport-endpoints-check')
  rule('filter-input', 'ct state new jump service-endpoints-check')
  // The `local` route for the service CIDR delivers unmatched ClusterIP traffic here rather than forwarding it.
  rule('filter-input', 'ct state new jump cluster-ips-check')
  for (const c of ['filter-forward', 'filter-output']) {
    rule(c, 'ct state new jump service-endpoints-check')
    rule(c, 'ct state new jump cluster-ips-check')
  }
  rule('nat-prerouting', 'jump services')
  rule('nat-output', 'jump services')
  rule('nat-postrouting', 'jump masquerading')
  rule('mark-for-masquerade', `meta mark set meta mark or ${MASQ_MARK}`)
  rule('masquerading', `meta mark & ${MASQ_MARK} == 0 return`)
  rule('masquerading', `meta mark set meta mark xor ${MASQ_MARK}`)
  rule('masquerading', 'masquerade fully-random')
  rule('reject-chain', 'meta l4proto tcp reject with tcp reset')
  rule('reject-chain', 'reject')
  rule('services', 'ip daddr . meta l4proto . th dport vmap @service-ips')
  rule('services', `${local} meta l4proto . th dport vmap @service-nodeports`)
  rule('service-endpoints-check', 'ip daddr . meta l4proto . th dport vmap @no-endpoint-services')
  rule('nodeport-endpoints-check', `${local} meta l4proto . th dport vmap @no-endpoint-nodeports`)
  rule('cluster-ips-check', 'ip daddr @cluster-ips reject')
  rule('cluster-ips-check', `ip daddr ${opts.serviceCidr} drop`)

  // Destinations are unique map keys; on a clash (two services claiming one external IP:port) the first in
  // sorted order wins, so one bad object cannot make the whole transaction fail.
  const seen = new Set<string>()
  const element = (map: string, key: string, verdict: string) => {
    if (seen.has(`${map} ${key}`)) return
    seen.add(`${map} ${key}`)
    elements.push(`add element ${t} ${map} { ${key} : ${verdict} }`)
  }
  const clusterIPs = new Set<string>()

  for (const sp of ports) {
    const { protocol: p, port } = sp
    const internal = sp.internalLocal ? sp.localEndpoints : sp.clusterEndpoints
    const external = sp.externalLocal ? sp.localEndpoints : sp.clusterEndpoints
    // As kube-proxy: no endpoints at all → reject; endpoints only on other nodes under a Local policy → drop.
    const noInternal = sp.clusterEndpoints.length ? 'drop' : 'goto reject-chain'
    const hasExternal = sp.nodePort !== undefined || sp.externalIPs.length > 0

    const used = new Map<string, Endpoint>()
    const dispatch = (c: string, eps: Endpoint[]) => {
      if (sp.affinityTimeout !== undefined)
        for (const e of eps) rule(c, `ip saddr @${affinitySet(sp, e)} goto ${endpointChain(sp, e)}`)
      if (eps.length === 1) rule(c, `goto ${endpointChain(sp, eps[0])}`)
      else {
        const arms = eps.map((e, i) => `${i} : goto ${endpointChain(sp, e)}`).join(' , ')
        rule(c, `numgen random mod ${eps.length} vmap { ${arms} }`)
      }
      for (const e of eps) used.set(endpointChain(sp, e), e)
    }

    if (sp.clusterEndpoints.length) {
      const c = serviceChain(sp)
      chain(c)
      for (const ip of sp.clusterIPs) {
        const match = `ip daddr ${ip} ${p} dport ${port}`
        if (opts.masqueradeAll) rule(c, `${match} jump mark-for-masquerade`)
        else rule(c, `${match} ip saddr != ${opts.clusterCidr} jump mark-for-masquerade`)
      }
      dispatch(c, sp.clusterEndpoints)
    }
    if ((sp.internalLocal || sp.externalLocal) && sp.localEndpoints.length) {
      chain(localChain(sp))
      dispatch(localChain(sp), sp.localEndpoints)
    }
    if (hasExternal && external.length) {
      const c = externalChain(sp)
      chain(c)
      if (sp.externalLocal) {
        // Pods and the node itself may use any endpoint; only traffic from outside keeps its source and stays
        // on this node's endpoints (kube-proxy's externalTrafficPolicy: Local).
        rule(c, `ip saddr ${opts.clusterCidr} goto ${serviceChain(sp)}`)
        rule(c, 'fib saddr type local jump mark-for-masquerade')
        rule(c, `fib saddr type local goto ${serviceChain(sp)}`)
        rule(c, `goto ${localChain(sp)}`)
      } else {
        rule(c, 'jump mark-for-masquerade')
        rule(c, `goto ${serviceChain(sp)}`)
      }
    }

    for (const ip of sp.clusterIPs) {
      clusterIPs.add(ip)
      const key = `${ip} . ${p} . ${port}`
      if (internal.length) element('service-ips', key, `goto ${sp.internalLocal ? localChain(sp) : serviceChain(sp)}`)
      else element('no-endpoint-services', key, noInternal)
    }
    const noExternal = sp.clusterEndpoints.length ? 'drop' : 'goto reject-chain'
    for (const ip of sp.externalIPs) {
      const key = `${ip} . ${p} . ${port}`
      if (external.length) element('service-ips', key, `goto ${externalChain(sp)}`)
      else element('no-endpoint-services', key, noExternal)
    }
    if (sp.nodePort !== undefined) {
      const key = `${p} . ${sp.nodePort}`
      if (external.length) element('service-nodeports', key, `goto ${externalChain(sp)}`)
      else element('no-endpoint-nodeports', key, noExternal)
    }

    for (const [c, e] of [...used].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      chain(c)
      // Hairpin: a pod reaching itself through the service must see the reply come from the service.
      rule(c, `ip saddr ${e.ip} jump mark-for-masquerade`)
      if (sp.affinityTimeout !== undefined) {
        affinity.push(
          `add set ${t} ${affinitySet(sp, e)} { type ipv4_addr ; flags dynamic,timeout ; timeout ${sp.affinityTimeout}s ; }`,
        )
        rule(c, `update @${affinitySet(sp, e)} { ip saddr }`)
      }
      rule(c, `meta l4proto ${p} dnat to ${e.ip}:${e.port}`)
    }
  }
  for (const ip of [...clusterIPs].sort()) elements.push(`add element ${t} cluster-ips { ${ip} }`)

  const flushes = [
    ...chains.map((c) => `flush chain ${t} ${c.split(' ')[4]}`),
    ...sets.map((s) => `flush ${s.split(' ')[1]} ${t} ${s.split(' ')[4]}`),
  ]
  return [`add table ${t}`, ...chains, ...sets, ...affinity, ...flushes, ...elements, ...rules, ''].join('\n')
}

/** Chains and sets a ruleset declares, for the applier to delete those a newer ruleset no longer has. */
export function declaredObjects(text: string): { chains: string[]; sets: string[] } {
  const chains: string[] = []
  const sets: string[] = []
  for (const m of text.matchAll(/^add (chain|set|map) ip \S+ (\S+)/gm)) (m[1] === 'chain' ? chains : sets).push(m[2])
  return { chains, sets }
}

/** nft text deleting objects declared in `prev` but not in `next` (flush first: rules may reference them). */
export function staleObjects(prev: string, next: string, tableName = DEFAULT_TABLE): string {
  const a = declaredObjects(prev)
  const b = declaredObjects(next)
  const t = `ip ${tableName}`
  const chains = a.chains.filter((c) => !b.chains.includes(c))
  const sets = a.sets.filter((s) => !b.sets.includes(s))
  return [
    ...chains.map((c) => `flush chain ${t} ${c}`),
    ...chains.map((c) => `delete chain ${t} ${c}`),
    ...sets.map((s) => `delete set ${t} ${s}`),
    '',
  ].join('\n')
}
