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

/** The chain and set names of one service port. Each name embeds a sha256 of its base, and every sync
 * renders every port, so each base is hashed once here rather than at every use of the name. */
function portNames(sp: ServicePort) {
  const h = chainHash(sp.key)
  const endpoints = new Map<string, string>()
  const endpointName = (prefix: string, e: Endpoint) => {
    const base = `${sp.key}__${e.ip}/${e.port}`
    let eh = endpoints.get(base)
    if (eh === undefined) endpoints.set(base, (eh = chainHash(base)))
    return `${prefix}-${eh}-${base}`
  }
  return {
    service: `service-${h}-${sp.key}`,
    local: `local-${h}-${sp.key}`,
    external: `external-${h}-${sp.key}`,
    firewall: `firewall-${h}-${sp.key}`,
    endpoint: (e: Endpoint) => endpointName('endpoint', e),
    affinity: (e: Endpoint) => endpointName('affinity', e),
  }
}

export function ruleset(
  services: Service[],
  endpointSlices: EndpointSlice[],
  node: ProxyNode,
  opts: RulesetOptions,
): string {
  return renderRuleset(servicePorts(services, endpointSlices, node.name), opts)
}

/** Collects declarations, elements and rules, then orders them so every reference is declared first. */
class NftText {
  private chains: string[] = []
  private sets: string[] = [] // flushed on every apply
  /** every chain, then every set and map, emptied before refilling (what makes the text idempotent) */
  private chainFlushes: string[] = []
  private setFlushes: string[] = []
  private affinity: string[] = [] // never flushed: pinning survives unrelated changes
  private elements: string[] = []
  private rules: string[] = []
  private seen = new Set<string>()

  constructor(readonly t: string) {}

  chain(name: string, hook?: string) {
    this.chains.push(`add chain ${this.t} ${name}${hook ? ` { ${hook} ; }` : ''}`)
    this.chainFlushes.push(`flush chain ${this.t} ${name}`)
  }
  set(kind: 'set' | 'map', name: string, spec: string) {
    this.sets.push(`add ${kind} ${this.t} ${name} { ${spec} ; }`)
    this.setFlushes.push(`flush ${kind} ${this.t} ${name}`)
  }
  affinitySet(name: string, timeoutS: number) {
    this.affinity.push(`add set ${this.t} ${name} { type ipv4_addr ; flags dynamic,timeout ; timeout ${timeoutS}s ; }`)
  }
  rule(chain: string, r: string) {
    this.rules.push(`add rule ${this.t} ${chain} ${r}`)
  }
  /**
   * Destinations are unique map keys; on a clash (two services claiming one external IP:port) the first in
   * sorted order wins, so one bad object cannot make the whole transaction fail.
   */
  element(map: string, key: string, verdict?: string) {
    if (this.seen.has(`${map} ${key}`)) return
    this.seen.add(`${map} ${key}`)
    this.elements.push(`add element ${this.t} ${map} { ${key}${verdict ? ` : ${verdict}` : ''} }`)
  }

  text(): string {
    return [
      `add table ${this.t}`,
      ...this.chains,
      ...this.sets,
      ...this.affinity,
      ...this.chainFlushes,
      ...this.setFlushes,
      ...this.elements,
      ...this.rules,
      '',
    ].join('\n')
  }
}

export function renderRuleset(ports: ServicePort[], opts: RulesetOptions): string {
  const b = new NftText(`ip ${opts.tableName ?? DEFAULT_TABLE}`)
  addBase(b, opts)
  for (const sp of ports) addServicePort(b, sp, opts)
  for (const ip of [...new Set(ports.flatMap((sp) => sp.clusterIPs))].sort()) b.element('cluster-ips', ip)
  return b.text()
}

/** The fixed part: base chains on the hooks, the dispatch maps, masquerading and rejecting. */
function addBase(b: NftText, opts: RulesetOptions) {
  // Filter chains run at priority 0, after DNAT, so what still has a service destination there was not
  // load-balanced: a service without endpoints, or a port the ClusterIP does not serve.
  // Before DNAT (dstnat - 10), where the LoadBalancer IP is still the destination: source-range firewall.
  b.chain('filter-prerouting-pre-dnat', 'type filter hook prerouting priority -110')
  b.chain('filter-output-pre-dnat', 'type filter hook output priority -110')
  b.chain('filter-input', 'type filter hook input priority 0')
  b.chain('filter-forward', 'type filter hook forward priority 0')
  b.chain('filter-output', 'type filter hook output priority 0')
  b.chain('nat-prerouting', 'type nat hook prerouting priority -100')
  b.chain('nat-output', 'type nat hook output priority -100') // nft 1.0.6 rejects `dstnat` for output
  b.chain('nat-postrouting', 'type nat hook postrouting priority 100')
  for (const c of [
    'firewall-check',
    'services',
    'service-endpoints-check',
    'nodeport-endpoints-check',
    'cluster-ips-check',
    'mark-for-masquerade',
    'masquerading',
    'reject-chain',
  ])
    b.chain(c)
  b.set('set', 'cluster-ips', 'type ipv4_addr')
  b.set('map', 'firewall-ips', 'type ipv4_addr . inet_proto . inet_service : verdict')
  b.set('map', 'service-ips', 'type ipv4_addr . inet_proto . inet_service : verdict')
  b.set('map', 'service-nodeports', 'type inet_proto . inet_service : verdict')
  b.set('map', 'no-endpoint-services', 'type ipv4_addr . inet_proto . inet_service : verdict')
  b.set('map', 'no-endpoint-nodeports', 'type inet_proto . inet_service : verdict')

  const local = 'fib daddr type local ip daddr != 127.0.0.0/8'
  b.rule('filter-prerouting-pre-dnat', 'ct state new jump firewall-check')
  b.rule('filter-output-pre-dnat', 'ct state new jump firewall-check')
  b.rule('firewall-check', 'ip daddr . meta l4proto . th dport vmap @firewall-ips')
  b.rule('filter-input', 'ct state new jump nodeport-endpoints-check')
  b.rule('filter-input', 'ct state new jump service-endpoints-check')
  // The `local` route for the service CIDR delivers unmatched ClusterIP traffic here rather than forwarding it.
  b.rule('filter-input', 'ct state new jump cluster-ips-check')
  for (const c of ['filter-forward', 'filter-output']) {
    b.rule(c, 'ct state new jump service-endpoints-check')
    b.rule(c, 'ct state new jump cluster-ips-check')
  }
  b.rule('nat-prerouting', 'jump services')
  b.rule('nat-output', 'jump services')
  b.rule('nat-postrouting', 'jump masquerading')
  b.rule('mark-for-masquerade', `meta mark set meta mark or ${MASQ_MARK}`)
  b.rule('masquerading', `meta mark & ${MASQ_MARK} == 0 return`)
  b.rule('masquerading', `meta mark set meta mark xor ${MASQ_MARK}`)
  b.rule('masquerading', 'masquerade fully-random')
  b.rule('reject-chain', 'meta l4proto tcp reject with tcp reset')
  b.rule('reject-chain', 'reject')
  b.rule('services', 'ip daddr . meta l4proto . th dport vmap @service-ips')
  b.rule('services', `${local} meta l4proto . th dport vmap @service-nodeports`)
  b.rule('service-endpoints-check', 'ip daddr . meta l4proto . th dport vmap @no-endpoint-services')
  b.rule('nodeport-endpoints-check', `${local} meta l4proto . th dport vmap @no-endpoint-nodeports`)
  b.rule('cluster-ips-check', 'ip daddr @cluster-ips reject')
  b.rule('cluster-ips-check', `ip daddr ${opts.serviceCidr} drop`)
}

/** One service port: its service/local/external chains, endpoint chains and map elements. */
function addServicePort(b: NftText, sp: ServicePort, opts: RulesetOptions) {
  const { protocol: p, port } = sp
  const n = portNames(sp)
  const internal = sp.internalLocal ? sp.localEndpoints : sp.clusterEndpoints
  const external = sp.externalLocal ? sp.localEndpoints : sp.clusterEndpoints
  // As kube-proxy: no endpoints at all → reject; endpoints only on other nodes under a Local policy → drop.
  const noEndpoints = sp.clusterEndpoints.length ? 'drop' : 'goto reject-chain'

  const used = new Map<string, Endpoint>()
  const dispatch = (c: string, eps: Endpoint[]) => {
    if (sp.affinityTimeout !== undefined)
      for (const e of eps) b.rule(c, `ip saddr @${n.affinity(e)} goto ${n.endpoint(e)}`)
    if (eps.length === 1) b.rule(c, `goto ${n.endpoint(eps[0])}`)
    else {
      const arms = eps.map((e, i) => `${i} : goto ${n.endpoint(e)}`).join(' , ')
      b.rule(c, `numgen random mod ${eps.length} vmap { ${arms} }`)
    }
    for (const e of eps) used.set(n.endpoint(e), e)
  }

  if (sp.clusterEndpoints.length) {
    const c = n.service
    b.chain(c)
    for (const ip of sp.clusterIPs) {
      const match = `ip daddr ${ip} ${p} dport ${port}`
      if (opts.masqueradeAll) b.rule(c, `${match} jump mark-for-masquerade`)
      else b.rule(c, `${match} ip saddr != ${opts.clusterCidr} jump mark-for-masquerade`)
    }
    dispatch(c, sp.clusterEndpoints)
  }
  if ((sp.internalLocal || sp.externalLocal) && sp.localEndpoints.length) {
    b.chain(n.local)
    dispatch(n.local, sp.localEndpoints)
  }
  const hasExternal = sp.nodePort !== undefined || sp.externalIPs.length > 0
  if (hasExternal && external.length) {
    const c = n.external
    b.chain(c)
    if (sp.externalLocal) {
      // Pods and the node itself may use any endpoint; only traffic from outside keeps its source and stays
      // on this node's endpoints (kube-proxy's externalTrafficPolicy: Local).
      b.rule(c, `ip saddr ${opts.clusterCidr} goto ${n.service}`)
      b.rule(c, 'fib saddr type local jump mark-for-masquerade')
      b.rule(c, `fib saddr type local goto ${n.service}`)
      b.rule(c, `goto ${n.local}`)
    } else {
      b.rule(c, 'jump mark-for-masquerade')
      b.rule(c, `goto ${n.service}`)
    }
  }

  for (const ip of sp.clusterIPs) {
    const key = `${ip} . ${p} . ${port}`
    if (internal.length) b.element('service-ips', key, `goto ${sp.internalLocal ? n.local : n.service}`)
    else b.element('no-endpoint-services', key, noEndpoints)
  }
  for (const ip of sp.externalIPs) {
    const key = `${ip} . ${p} . ${port}`
    if (external.length) b.element('service-ips', key, `goto ${n.external}`)
    else b.element('no-endpoint-services', key, noEndpoints)
  }
  if (sp.nodePort !== undefined) {
    const key = `${p} . ${sp.nodePort}`
    if (external.length) b.element('service-nodeports', key, `goto ${n.external}`)
    else b.element('no-endpoint-nodeports', key, noEndpoints)
  }

  if (sp.firewallIPs.length) {
    // As kube-proxy: only the listed sources may use the LoadBalancer IP (the NodePort stays open).
    const c = n.firewall
    b.chain(c)
    b.rule(c, `ip saddr != { ${sp.sourceRanges.join(', ')} } drop`)
    for (const ip of sp.firewallIPs) b.element('firewall-ips', `${ip} . ${p} . ${port}`, `goto ${c}`)
  }

  for (const [c, e] of [...used].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    b.chain(c)
    // Hairpin: a pod reaching itself through the service must see the reply come from the service.
    b.rule(c, `ip saddr ${e.ip} jump mark-for-masquerade`)
    if (sp.affinityTimeout !== undefined) {
      b.affinitySet(n.affinity(e), sp.affinityTimeout)
      b.rule(c, `update @${n.affinity(e)} { ip saddr }`)
    }
    b.rule(c, `meta l4proto ${p} dnat to ${e.ip}:${e.port}`)
  }
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
  const keepChains = new Set(b.chains)
  const keepSets = new Set(b.sets)
  const chains = a.chains.filter((c) => !keepChains.has(c))
  const sets = a.sets.filter((s) => !keepSets.has(s))
  return [
    ...chains.map((c) => `flush chain ${t} ${c}`),
    ...chains.map((c) => `delete chain ${t} ${c}`),
    ...sets.map((s) => `delete set ${t} ${s}`),
    '',
  ].join('\n')
}
