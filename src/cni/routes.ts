// Routes that keep cluster traffic on the node, and the seam for reaching other nodes' pod CIDRs.
// Every route we add carries protocol number ROUTE_PROTO so clean-up and peer sync touch only ours.
import { cidrContains, formatCidr, parseCidr, parseIp } from './cidr.ts'
import type { Host } from './exec.ts'

export const ROUTE_PROTO = '77'

/**
 * As DESIGN.md: a `local` route for the service CIDR (ClusterIPs are DNATed in nat prerouting/output; an
 * unallocated one is answered or dropped locally instead of leaving through the default route), and an
 * `unreachable` route for the cluster CIDR below the more specific per-node routes (the bridge's connected
 * /24 and the peers' routes), so a pod address of an unknown node never leaves the machine.
 */
export async function ensureClusterRoutes(h: Host, o: { serviceCidr: string; clusterCidr: string }) {
  await h.run(['ip', 'route', 'replace', 'local', o.serviceCidr, 'dev', 'lo', 'proto', ROUTE_PROTO])
  await h.run(['ip', 'route', 'replace', 'unreachable', o.clusterCidr, 'proto', ROUTE_PROTO])
}

export interface PeerNode {
  name: string
  podCidr: string
  /** the peer's InternalIP, reachable on the same L2 segment (host-gw) */
  nodeIp: string
  /** the peer's VTEP MAC (vxlan backend only) */
  vtepMac?: string
}

export interface RouteEntry {
  dst: string
  gateway: string
}

/** Pure: which host-gw routes to replace and which to delete, given ours currently installed. */
export function planPeerRoutes(
  peers: PeerNode[],
  current: RouteEntry[],
  o: { clusterCidr: string; ownPodCidr?: string },
): { replace: RouteEntry[]; remove: string[] } {
  const cluster = parseCidr(o.clusterCidr)
  const want = new Map<string, string>()
  for (const p of peers) {
    if (!p.podCidr || !p.nodeIp || p.podCidr === o.ownPodCidr) continue
    // A peer's podCIDR outside the cluster CIDR would route foreign traffic; refuse it.
    if (!cidrContains(cluster, parseCidr(p.podCidr).base)) continue
    want.set(normalize(p.podCidr), p.nodeIp)
  }
  const have = new Map(current.map((r) => [normalize(r.dst), r.gateway]))
  const replace = [...want]
    .filter(([dst, gw]) => have.get(dst) !== gw)
    .map(([dst, gateway]) => ({ dst, gateway }))
    .sort((a, b) => parseIp(a.dst.split('/')[0]) - parseIp(b.dst.split('/')[0]))
  const remove = [...have.keys()].filter((dst) => !want.has(dst)).sort()
  return { replace, remove }
}

const normalize = (cidr: string) => formatCidr(parseCidr(cidr))

/** host-gw: `ip route replace <podCIDR> via <nodeIP>` per peer, stale ones removed. VXLAN would plug in here. */
export async function syncPeerRoutes(
  h: Host,
  peers: PeerNode[],
  o: { clusterCidr: string; ownPodCidr?: string },
): Promise<{ replace: RouteEntry[]; remove: string[] }> {
  const plan = planPeerRoutes(peers, await listPeerRoutes(h), o)
  for (const r of plan.replace) await h.run(['ip', 'route', 'replace', r.dst, 'via', r.gateway, 'proto', ROUTE_PROTO])
  for (const dst of plan.remove) await h.run(['ip', 'route', 'del', dst, 'proto', ROUTE_PROTO], { allowFail: true })
  return plan
}

async function listPeerRoutes(h: Host): Promise<RouteEntry[]> {
  const r = await h.run(['ip', '-j', 'route', 'show', 'proto', ROUTE_PROTO])
  const rows = JSON.parse(r.stdout || '[]') as { dst: string; gateway?: string; type?: string }[]
  return rows
    .filter((x) => x.gateway)
    .map((x) => ({ dst: x.dst.includes('/') ? x.dst : `${x.dst}/32`, gateway: x.gateway! }))
}

/** Removes every route carrying our protocol number, in the main and local tables. */
export async function removeOurRoutes(h: Host): Promise<void> {
  await h.run(['ip', 'route', 'flush', 'proto', ROUTE_PROTO], { allowFail: true })
  await h.run(['ip', 'route', 'flush', 'table', 'local', 'proto', ROUTE_PROTO], { allowFail: true })
}
