// Which names the serving certificate carries. Fixed names cover loopback and the in-cluster
// `kubernetes` Service (kubernetes.default.svc.cluster.local, its first ClusterIP); host names
// cover what agents and users dial: the hostname, node IPs, --advertise-address and every --tls-san.

import { isIP } from 'node:net'
import { hostname, networkInterfaces } from 'node:os'

const FIXED_DNS = [
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
]
const FIXED_IPS = ['127.0.0.1', '::1']

/** One spelling per address, so `0:0::1` and `::1` compare equal. */
export function canonicalIp(ip: string): string {
  if (isIP(ip) !== 6) return ip
  return new URL(`http://[${ip}]/`).hostname.slice(1, -1)
}

/** Splits SANs into DNS names and IPs (a --tls-san may be either) and adds the fixed names, deduplicated. */
export function servingNames(sans: string[], ips: string[]): { dns: string[]; ips: string[] } {
  const dns = new Set(FIXED_DNS)
  const addrs = new Set(FIXED_IPS)
  for (const s of sans) {
    const v = s.trim()
    if (!v) continue
    if (isIP(v)) addrs.add(canonicalIp(v))
    else dns.add(v.toLowerCase())
  }
  for (const ip of ips) if (ip) addrs.add(canonicalIp(ip))
  return { dns: [...dns], ips: [...addrs] }
}

/** The first usable address of a CIDR: the `kubernetes` Service's ClusterIP (10.43.0.1 for 10.43.0.0/16). */
export function firstServiceIp(cidr: string): string {
  const [base] = cidr.split('/')
  if (isIP(base) === 4) {
    const n = base.split('.').reduce((acc, o) => acc * 256 + Number(o), 0) + 1
    return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')
  }
  const u = new URL(`http://[${base}]/`).hostname.slice(1, -1)
  // IPv6: expand, add one to the last group.
  const [head, tail = ''] = u.split('::')
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t].map((g) => Number.parseInt(g, 16))
  groups[7] += 1
  return canonicalIp(groups.map((g) => g.toString(16)).join(':'))
}

/** Every non-internal IPv4 address of this host, as the node IPs agents and users may dial. */
export function hostIpv4s(): string[] {
  const out: string[] = []
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) out.push(a.address)
  }
  return out
}

export interface HostSanOptions {
  tlsSan?: string[]
  advertiseAddress?: string
  nodeIp?: string
  serviceCidr?: string
}

/** The `sans`/`ips` arguments of ensurePki for this host, from the server's flags. */
export function hostSans(o: HostSanOptions): { sans: string[]; ips: string[] } {
  const ips = [...hostIpv4s()]
  if (o.advertiseAddress) ips.push(o.advertiseAddress)
  if (o.nodeIp) ips.push(o.nodeIp)
  ips.push(firstServiceIp(o.serviceCidr ?? '10.43.0.0/16'))
  return { sans: [hostname(), ...(o.tlsSan ?? [])], ips }
}
