// Flannel-style VXLAN between nodes (VNI 1, UDP 8472, device flannel.1), for nodes without L2 adjacency.
// Commands as verified in notes/multinode.md: the device carries <podCIDR>.0/32; per remote node a route
// `<cidr> via <cidr>.0 dev flannel.1 onlink`, a permanent neighbour entry `<cidr>.0 → VTEP MAC` and an
// FDB entry `VTEP MAC → node IP`. Each node publishes its VTEP MAC (the agent puts it in a node annotation,
// as flannel's flannel.alpha.coreos.com/backend-data). Pods use MTU 1450 under VXLAN.
import { formatIp, parseCidr } from './cidr.ts'
import type { Host } from './exec.ts'
import { planPeerRoutes, ROUTE_PROTO } from './routes.ts'

export const VXLAN_DEVICE = 'flannel.1'
export const VXLAN_MTU = 1450

export interface VxlanPeer {
  name: string
  podCidr: string
  nodeIp: string
  /** the peer's flannel.1 MAC address */
  vtepMac: string
}

/** The interface that holds `nodeIp` (the VXLAN underlay). */
async function deviceOf(h: Host, nodeIp: string): Promise<string> {
  const r = await h.run(['ip', '-j', '-4', 'addr', 'show'])
  const links = JSON.parse(r.stdout) as { ifname: string; addr_info?: { local: string }[] }[]
  const dev = links.find((l) => l.addr_info?.some((a) => a.local === nodeIp))?.ifname
  if (!dev) throw new Error(`no interface holds the node IP ${nodeIp}; pass --node-ip with an address of this host`)
  return dev
}

/** Creates (or keeps) the VXLAN device for this node; returns its MAC, to be published for the peers. */
export async function ensureVxlan(
  h: Host,
  o: { nodeIp: string; podCidr: string; name?: string },
): Promise<{ device: string; mac: string }> {
  const name = o.name ?? VXLAN_DEVICE
  const exists = (await h.run(['ip', 'link', 'show', 'dev', name], { allowFail: true })).code === 0
  if (!exists) {
    const dev = await deviceOf(h, o.nodeIp)
    await h.run([
      'ip',
      'link',
      'add',
      name,
      'type',
      'vxlan',
      'id',
      '1',
      'local',
      o.nodeIp,
      'dev',
      dev,
      'dstport',
      '8472',
      'nolearning',
    ])
  }
  await h.run(['ip', 'link', 'set', name, 'mtu', String(VXLAN_MTU), 'up'])
  await h.run(['ip', 'addr', 'replace', `${formatIp(parseCidr(o.podCidr).base)}/32`, 'dev', name])
  const link = JSON.parse((await h.run(['ip', '-j', 'link', 'show', 'dev', name])).stdout)[0] as { address: string }
  return { device: name, mac: link.address }
}

/** Routes, neighbour and FDB entries for every peer; entries of departed peers are removed. */
export async function syncVxlanPeers(
  h: Host,
  peers: VxlanPeer[],
  o: { clusterCidr: string; ownPodCidr?: string; name?: string },
): Promise<{ replace: string[]; remove: string[] }> {
  const dev = o.name ?? VXLAN_DEVICE
  const usable = peers.filter((p) => p.vtepMac && p.podCidr && p.nodeIp && p.podCidr !== o.ownPodCidr)
  const vtepIp = (cidr: string) => formatIp(parseCidr(cidr).base)
  const current = JSON.parse(
    (await h.run(['ip', '-j', 'route', 'show', 'proto', ROUTE_PROTO, 'dev', dev])).stdout || '[]',
  ) as { dst: string; gateway?: string }[]
  const plan = planPeerRoutes(
    usable.map((p) => ({ name: p.name, podCidr: p.podCidr, nodeIp: vtepIp(p.podCidr) })),
    current.filter((r) => r.gateway).map((r) => ({ dst: r.dst, gateway: r.gateway! })),
    o,
  )
  // Neighbour and FDB entries are cheap to re-assert; a changed MAC must replace the old one.
  for (const p of usable) {
    const gw = vtepIp(p.podCidr)
    await h.run(['ip', 'neigh', 'replace', gw, 'lladdr', p.vtepMac, 'dev', dev, 'nud', 'permanent'])
    await h.run(['bridge', 'fdb', 'replace', p.vtepMac, 'dev', dev, 'dst', p.nodeIp, 'self', 'permanent'])
  }
  for (const r of plan.replace)
    await h.run(['ip', 'route', 'replace', r.dst, 'via', r.gateway, 'dev', dev, 'onlink', 'proto', ROUTE_PROTO])
  for (const dst of plan.remove) {
    await h.run(['ip', 'route', 'del', dst, 'dev', dev, 'proto', ROUTE_PROTO], { allowFail: true })
    await h.run(['ip', 'neigh', 'del', vtepIp(dst), 'dev', dev], { allowFail: true })
  }
  // FDB entries whose MAC no live peer uses any more.
  const macs = new Set(usable.map((p) => p.vtepMac.toLowerCase()))
  const fdb = JSON.parse((await h.run(['bridge', '-j', 'fdb', 'show', 'dev', dev])).stdout || '[]') as {
    mac: string
    dst?: string
  }[]
  for (const e of fdb)
    if (e.dst && !macs.has(e.mac.toLowerCase()) && e.mac !== '00:00:00:00:00:00')
      await h.run(['bridge', 'fdb', 'del', e.mac, 'dev', dev, 'dst', e.dst, 'self'], { allowFail: true })
  return { replace: plan.replace.map((r) => r.dst), remove: plan.remove }
}
