// Adapter over iproute2 for the node bridge and the pod veth pairs (commands as in notes/node.md, verified
// on Debian 12). Every function is idempotent: calling it again converges to the same state.
import { createHash } from 'node:crypto'
import { formatIp, gatewayOf, parseCidr } from './cidr.ts'
import { type Host, sysctl } from './exec.ts'

/** Deterministic host-side veth name for a pod sandbox: `veth` + 8 hex of sha256(id) (IFNAMSIZ is 15). */
export const hostVethName = (id: string) => `veth${createHash('sha256').update(id).digest('hex').slice(0, 8)}`

/** Host-side veths we create all look like this; clean-up removes only these. */
export const ourVethPattern = /^veth[0-9a-f]{8}$/

export interface BridgeOptions {
  /** default cni0 */
  name: string
  /** the node's podCIDR, e.g. 10.42.0.0/24; the bridge takes its .1 */
  podCidr: string
  mtu?: number
}

export async function linkExists(h: Host, name: string): Promise<boolean> {
  return (await h.run(['ip', 'link', 'show', 'dev', name], { allowFail: true })).code === 0
}

/**
 * Bridge up with the gateway address, forwarding on, bridged IPv4 through the ip hooks. The last one is why
 * a Service reply from a pod on the same bridge gets un-DNATed (as upstream's bridge plugin and flannel
 * require br_netfilter); it is also why Docker's FORWARD drop needs the accept rules in firewall.ts.
 */
export async function ensureBridge(h: Host, o: BridgeOptions): Promise<{ gateway: string; prefix: number }> {
  const cidr = parseCidr(o.podCidr)
  const gateway = formatIp(gatewayOf(cidr))
  if (!(await linkExists(h, o.name))) await h.run(['ip', 'link', 'add', o.name, 'type', 'bridge'])
  await h.run(['ip', 'addr', 'replace', `${gateway}/${cidr.prefix}`, 'dev', o.name])
  await h.run(['ip', 'link', 'set', o.name, ...(o.mtu ? ['mtu', String(o.mtu)] : []), 'up'])
  await sysctl(h, 'net.ipv4.ip_forward', '1')
  await ensureBrNetfilter(h)
  return { gateway, prefix: cidr.prefix }
}

async function ensureBrNetfilter(h: Host) {
  const has = async () =>
    (await h.run(['test', '-e', '/proc/sys/net/bridge/bridge-nf-call-iptables'], { allowFail: true })).code === 0
  if (!(await has())) await h.run(['modprobe', 'br_netfilter'], { allowFail: true })
  if (await has()) await sysctl(h, 'net.bridge.bridge-nf-call-iptables', '1')
}

export interface AttachOptions {
  /** the sandbox's network namespace, e.g. /proc/<pid>/ns/net */
  netnsPath: string
  hostVethName: string
  bridge: string
  ip: string
  prefix: number
  gateway: string
  ifName?: string
  mtu?: number
}

/**
 * Creates the veth pair, plugs the host end into the bridge (hairpin on) and configures the pod end. Two
 * `ip -batch` runs (host side, pod side) keep a fresh attach at a handful of process spawns.
 */
export async function attach(h: Host, o: AttachOptions): Promise<void> {
  const ifName = o.ifName ?? 'eth0'
  const pod = (argv: string[], opts: { stdin?: string; allowFail?: boolean } = {}) =>
    h.run(['nsenter', `--net=${o.netnsPath}`, '--', ...argv], opts)
  const state = await attachState(h, o, ifName)
  if (state === 'attached') {
    // Already wired (an agent restart): keep the link, so the pod's neighbours' caches stay right.
    await pod(['ip', 'route', 'replace', 'default', 'via', o.gateway, 'dev', ifName])
    return
  }
  if (state === 'partial') {
    // A half-done earlier attempt: remove it whole (deleting the host end takes the pod end along).
    await detach(h, o.hostVethName)
    await pod(['ip', 'link', 'del', ifName], { allowFail: true })
  }
  const mtu = o.mtu ? ` mtu ${o.mtu}` : ''
  const v = o.hostVethName
  await h.run(['ip', '-batch', '-'], {
    stdin: [
      // The peer is created directly inside the pod's namespace: its final name (eth0) may exist on the node.
      `link add ${v}${mtu} type veth peer name ${ifName}${mtu} netns ${o.netnsPath}`,
      `link set ${v} master ${o.bridge}`,
      // Hairpin: a pod reaching itself through its Service gets the packet back out of the same bridge port.
      `link set ${v} type bridge_slave hairpin on`,
      `link set ${v} up`,
      '',
    ].join('\n'),
  })
  await pod(['ip', '-batch', '-'], {
    stdin: [
      'link set lo up',
      `addr replace ${o.ip}/${o.prefix} dev ${ifName}`,
      `link set ${ifName} up`,
      `route replace default via ${o.gateway} dev ${ifName}`,
      '',
    ].join('\n'),
  }).catch(async (e) => {
    await detach(h, v)
    throw e
  })
  // Gratuitous ARP, as upstream's bridge plugin: a reused address gets a new MAC, and neighbours that
  // cached the old one would otherwise lose packets until their entry expires.
  await pod(['busybox', 'arping', '-U', '-c', '1', '-I', ifName, o.ip], { allowFail: true })
}

async function attachState(h: Host, o: AttachOptions, ifName: string): Promise<'attached' | 'absent' | 'partial'> {
  const link = await h.run(['ip', '-j', 'link', 'show', 'dev', o.hostVethName], { allowFail: true })
  if (link.code !== 0) return 'absent'
  if ((JSON.parse(link.stdout)[0]?.master ?? '') !== o.bridge) return 'partial'
  const addr = await h.run(['nsenter', `--net=${o.netnsPath}`, '--', 'ip', '-j', 'addr', 'show', 'dev', ifName], {
    allowFail: true,
  })
  if (addr.code !== 0) return 'partial'
  const info = JSON.parse(addr.stdout)[0] as { addr_info?: { local: string; prefixlen: number }[] }
  return info?.addr_info?.some((a) => a.local === o.ip && a.prefixlen === o.prefix) ? 'attached' : 'partial'
}

/** Deleting the host end deletes the pod end too. Missing links are fine. */
export async function detach(h: Host, hostVeth: string): Promise<void> {
  await h.run(['ip', 'link', 'del', hostVeth], { allowFail: true })
}

/** Host veths enslaved to the bridge (ours by name), for reconcile and clean-up. */
export async function listVeths(h: Host, bridge: string): Promise<string[]> {
  const r = await h.run(['ip', '-j', 'link', 'show', 'master', bridge], { allowFail: true })
  if (r.code !== 0 || !r.stdout.trim()) return []
  return (JSON.parse(r.stdout) as { ifname: string }[]).map((l) => l.ifname).filter((n) => ourVethPattern.test(n))
}

export async function deleteBridge(h: Host, name: string): Promise<void> {
  await h.run(['ip', 'link', 'del', name], { allowFail: true })
}
