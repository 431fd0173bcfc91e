// Pure model: Services + EndpointSlices + this node → one entry per service port with the endpoints each kind
// of traffic may use, following kube-proxy (pkg/proxy: endpointslicecache, topology.CategorizeEndpoints).
import type { Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'

export type Protocol = 'tcp' | 'udp' | 'sctp'

export interface Endpoint {
  ip: string
  port: number
  /** endpoint.nodeName is this node */
  local: boolean
}

export interface ServicePort {
  /** `ns/name/proto/portName` as kube-proxy's ServicePortName; chain names derive from it */
  key: string
  namespace: string
  name: string
  portName: string
  protocol: Protocol
  port: number
  clusterIPs: string[]
  nodePort?: number
  /** spec.externalIPs and status.loadBalancer.ingress[].ip */
  externalIPs: string[]
  /** LoadBalancer ingress IPs guarded by spec.loadBalancerSourceRanges (empty when there are no ranges) */
  firewallIPs: string[]
  /** spec.loadBalancerSourceRanges (IPv4) */
  sourceRanges: string[]
  /** sessionAffinity ClientIP timeout in seconds */
  affinityTimeout?: number
  internalLocal: boolean
  externalLocal: boolean
  /** ready endpoints, or serving+terminating ones when none is ready */
  clusterEndpoints: Endpoint[]
  /** the same choice among this node's endpoints only */
  localEndpoints: Endpoint[]
}

const isV4 = (ip: string | undefined): ip is string => !!ip && /^\d+\.\d+\.\d+\.\d+$/.test(ip)
const proto = (p: string | undefined): Protocol | null =>
  ({ TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' })[p ?? 'TCP'] as Protocol | null

interface Candidate extends Endpoint {
  ready: boolean
  serving: boolean
  terminating: boolean
}

/** As kube-proxy: use ready endpoints; if there are none, fall back to serving and terminating ones. */
function usable(cands: Candidate[]): Endpoint[] {
  const ready = cands.filter((c) => c.ready)
  const pick = ready.length ? ready : cands.filter((c) => c.serving && c.terminating)
  return pick.map(({ ip, port, local }) => ({ ip, port, local }))
}

const byAddress = (a: Endpoint, b: Endpoint) => (a.ip === b.ip ? a.port - b.port : ipNum(a.ip) - ipNum(b.ip))
const ipNum = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0)

export function servicePorts(services: Service[], slices: EndpointSlice[], nodeName: string): ServicePort[] {
  const slicesBySvc = new Map<string, EndpointSlice[]>()
  for (const s of slices) {
    const svc = s.metadata?.labels?.['kubernetes.io/service-name']
    if (!svc || s.addressType !== 'IPv4') continue
    const k = `${s.metadata?.namespace ?? 'default'}/${svc}`
    slicesBySvc.set(k, [...(slicesBySvc.get(k) ?? []), s])
  }
  const out: ServicePort[] = []
  for (const svc of services) {
    const spec = svc.spec ?? {}
    if (spec.type === 'ExternalName') continue
    const namespace = svc.metadata?.namespace ?? 'default'
    const name = svc.metadata?.name ?? ''
    const clusterIPs = (spec.clusterIPs?.length ? spec.clusterIPs : [spec.clusterIP]).filter(isV4)
    const lbIPs =
      spec.type === 'LoadBalancer' ? (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter(isV4) : []
    const externalIPs = [...new Set([...(spec.externalIPs ?? []).filter(isV4), ...lbIPs])]
    const withNodePorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer'
    if (!clusterIPs.length && !externalIPs.length) continue // headless: DNS only
    const sourceRanges = (spec.loadBalancerSourceRanges ?? []).map((r) => r.trim()).filter((r) => isV4(r.split('/')[0]))
    const firewallIPs = sourceRanges.length ? lbIPs : []
    const affinityTimeout =
      spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : undefined
    for (const p of spec.ports ?? []) {
      const protocol = proto(p.protocol)
      if (!protocol) continue
      const portName = p.name ?? ''
      const cands = new Map<string, Candidate>()
      for (const sl of slicesBySvc.get(`${namespace}/${name}`) ?? []) {
        // The EndpointSlice controller resolved named targetPorts: its port with our name carries the number.
        const sp = (sl.ports ?? []).find((x) => (x.name ?? '') === portName && proto(x.protocol) === protocol)
        if (!sp?.port) continue
        for (const e of sl.endpoints ?? []) {
          const ip = e.addresses?.[0]
          if (!isV4(ip)) continue
          const ready = e.conditions?.ready ?? true
          cands.set(`${ip}:${sp.port}`, {
            ip,
            port: sp.port,
            local: e.nodeName === nodeName,
            ready,
            serving: e.conditions?.serving ?? ready,
            terminating: e.conditions?.terminating ?? false,
          })
        }
      }
      const all = [...cands.values()]
      out.push({
        key: `${namespace}/${name}/${protocol}/${portName}`,
        namespace,
        name,
        portName,
        protocol,
        port: p.port,
        clusterIPs,
        nodePort: withNodePorts && p.nodePort ? p.nodePort : undefined,
        externalIPs,
        firewallIPs,
        sourceRanges,
        affinityTimeout,
        internalLocal: spec.internalTrafficPolicy === 'Local',
        externalLocal: spec.externalTrafficPolicy === 'Local',
        clusterEndpoints: usable(all).sort(byAddress),
        localEndpoints: usable(all.filter((c) => c.local)).sort(byAddress),
      })
    }
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}
