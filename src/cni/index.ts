// Pod network for one node: bridge + veth + host-local IPAM + the routes that keep cluster CIDRs local.
//
// API for the kubelet (one PodNetwork per agent):
//   const net = await PodNetwork.setup({ dataDir, podCidr: node.spec.podCIDR, clusterCidr, serviceCidr })
//     ensures bridge cni0 (gateway .1, hairpin ports), ip_forward=1, bridge-nf-call-iptables=1,
//     DOCKER-USER accepts for cni0 (when Docker's chain exists), pod → outside masquerade (nft `ip kubun-cni`),
//     `local <serviceCidr> dev lo` and `unreachable <clusterCidr>` routes. Idempotent; call at every start.
//   const { ip, gateway, prefix, hostVeth } = await net.add(sandboxId, `/proc/${pid}/ns/net`, 'eth0', { hostPorts })
//     allocates (same id → same IP) and plugs eth0 into the sandbox. Report `ip` as status.podIP.
//     hostPorts (optional): [{ hostPort, containerPort, protocol?, hostIP? }] from the pod's container ports,
//     DNATed on the node's addresses (nft `ip kubun-hostport`, as upstream's portmap plugin; not 127.0.0.1).
//   await net.remove(sandboxId)            veth deleted, address and hostPorts released (on sandbox removal)
//   await net.reconcile(liveSandboxIds)    frees addresses, veths and hostPorts of sandboxes that no longer exist
//   await net.syncPeers(nodes)             routes to other nodes' podCIDRs: [{ name, podCidr, nodeIp, vtepMac? }]
//     backend 'host-gw' (default; L2-adjacent nodes) or 'vxlan' (setup with backend + nodeIp; pods get MTU 1450;
//     publish net.vtepMac, e.g. in a node annotation, and pass the peers' MACs as vtepMac)
//   net.ipOf(sandboxId)                    the address held by a sandbox (adoption after restart)
//   await net.ensureHost()                 re-assert bridge, sysctls, DOCKER-USER, NAT, routes (every minute)
// Use the sandbox (pause) container's Docker id as sandboxId, as CNI's CONTAINER_ID: a new sandbox attempt gets
// a new attachment, and after an agent restart the ids read back from Docker labels find their addresses.
// hostNetwork pods are not attached. Errors: CommandError (a tool failed; names the command and its stderr),
// IpamExhaustedError. Needs root, iproute2 (ip -j), nsenter and nft; busybox (arping) is optional.
// Clean-up for `kubun killall` is cleanupNetwork() in src/agent/cleanup.ts.
// `netns` runs everything inside a network namespace (tests, simulated nodes); default is the caller's.
import { join } from 'node:path'
import { attach, detach, ensureBridge, hostVethName, listVeths } from './bridge.ts'
import { type Host, host } from './exec.ts'
import { ensureCniNat, ensureDockerUserAccept } from './firewall.ts'
import { type HostPort, HostPortStore, hostPortRuleset } from './hostport.ts'
import { IpamStore, ipamDir } from './ipam.ts'
import { ensureClusterRoutes, type PeerNode, syncPeerRoutes } from './routes.ts'
import { ensureVxlan, syncVxlanPeers, VXLAN_MTU } from './vxlan.ts'

export { hostVethName } from './bridge.ts'
export { CommandError, type Host, host } from './exec.ts'
export { HOSTPORT_TABLE, type HostPort } from './hostport.ts'
export { IpamExhaustedError, IpamStore, ipamDir } from './ipam.ts'
export type { PeerNode } from './routes.ts'
export { VXLAN_DEVICE, VXLAN_MTU } from './vxlan.ts'

export interface PodNetworkOptions {
  dataDir: string
  podCidr: string
  clusterCidr: string
  serviceCidr: string
  /** default cni0 */
  bridge?: string
  /** default 1500 (1450 under VXLAN) */
  mtu?: number
  /** network namespace path to operate in, default the agent's own */
  netns?: string
  /** IPAM network name (directory under agent/cni/networks), default kubun */
  network?: string
  /** how other nodes' pod CIDRs are reached: host-gw (same L2 segment, default) or flannel-style vxlan */
  backend?: 'host-gw' | 'vxlan'
  /** this node's InternalIP: the VXLAN underlay address (vxlan only) */
  nodeIp?: string
}

export interface PodAttachment {
  ip: string
  prefix: number
  gateway: string
  hostVeth: string
}

type Opts = Required<Omit<PodNetworkOptions, 'netns' | 'nodeIp'>> & { netns?: string; nodeIp?: string }

export class PodNetwork {
  /** this node's VTEP MAC under the vxlan backend: publish it for the other nodes */
  vtepMac?: string

  private constructor(
    readonly opts: Opts,
    readonly host: Host,
    readonly ipam: IpamStore,
    readonly gateway: string,
    readonly prefix: number,
    private readonly hostPorts: HostPortStore,
  ) {}

  static async setup(o: PodNetworkOptions): Promise<PodNetwork> {
    const backend = o.backend ?? 'host-gw'
    if (backend === 'vxlan' && !o.nodeIp) throw new Error('the vxlan backend needs nodeIp (the VXLAN underlay address)')
    const opts: Opts = { bridge: 'cni0', mtu: backend === 'vxlan' ? VXLAN_MTU : 1500, network: 'kubun', backend, ...o }
    const h = host(o.netns)
    const { gateway, prefix } = await ensureBridge(h, { name: opts.bridge, podCidr: o.podCidr, mtu: opts.mtu })
    const ipam = new IpamStore(ipamDir(o.dataDir, opts.network), o.podCidr)
    const hostPorts = new HostPortStore(join(o.dataDir, 'agent', 'cni', 'hostports'))
    const net = new PodNetwork(opts, h, ipam, gateway, prefix, hostPorts)
    await net.ensureHost()
    return net
  }

  /**
   * Re-asserts the host-wide pieces (bridge, sysctls, DOCKER-USER accepts, NAT table, routes). Cheap; call it
   * periodically (e.g. every minute): a Docker restart or an administrator's `nft flush ruleset` undoes them.
   */
  async ensureHost(): Promise<void> {
    const o = this.opts
    await ensureBridge(this.host, { name: o.bridge, podCidr: o.podCidr, mtu: o.mtu })
    await ensureDockerUserAccept(this.host, o.bridge)
    await ensureCniNat(this.host, { podCidr: o.podCidr, clusterCidr: o.clusterCidr })
    await ensureClusterRoutes(this.host, { serviceCidr: o.serviceCidr, clusterCidr: o.clusterCidr })
    await this.applyHostPorts()
    if (o.backend === 'vxlan')
      this.vtepMac = (await ensureVxlan(this.host, { nodeIp: o.nodeIp!, podCidr: o.podCidr })).mac
  }

  private async applyHostPorts() {
    await this.host.run(['nft', '-f', '-'], { stdin: hostPortRuleset(this.hostPorts.entries()) })
  }

  /** hostPorts: the pod's containers' ports with a hostPort (portmap), kept until remove(id). */
  async add(
    id: string,
    netnsPath: string,
    ifName = 'eth0',
    o: { hostPorts?: HostPort[] } = {},
  ): Promise<PodAttachment> {
    const ip = this.ipam.allocate(id)
    const hostVeth = hostVethName(id)
    try {
      await attach(this.host, {
        netnsPath,
        hostVethName: hostVeth,
        bridge: this.opts.bridge,
        ip,
        prefix: this.prefix,
        gateway: this.gateway,
        ifName,
        mtu: this.opts.mtu,
      })
    } catch (e) {
      this.ipam.release(id)
      throw e
    }
    if (o.hostPorts?.length) {
      this.hostPorts.set(id, ip, o.hostPorts)
      await this.applyHostPorts()
    }
    return { ip, prefix: this.prefix, gateway: this.gateway, hostVeth }
  }

  async remove(id: string): Promise<void> {
    await detach(this.host, hostVethName(id))
    this.ipam.release(id)
    if (this.hostPorts.delete(id)) await this.applyHostPorts()
  }

  ipOf(id: string): string | undefined {
    return this.ipam.list().find((a) => a.id === id)?.ip
  }

  async reconcile(liveIds: Iterable<string>): Promise<{ freed: string[]; vethsRemoved: string[] }> {
    const live = new Set(liveIds)
    const freed = this.ipam.reconcile(live).map((a) => a.ip)
    const keep = new Set([...live].map(hostVethName))
    const vethsRemoved = (await listVeths(this.host, this.opts.bridge)).filter((v) => !keep.has(v))
    for (const v of vethsRemoved) await detach(this.host, v)
    if (this.hostPorts.reconcile(live)) await this.applyHostPorts()
    return { freed, vethsRemoved }
  }

  /** Routes to the other nodes' pod CIDRs (vxlan: peers without a vtepMac yet are left out until they have one). */
  syncPeers(nodes: PeerNode[]): Promise<{ replace: unknown[]; remove: string[] }> {
    const o = { clusterCidr: this.opts.clusterCidr, ownPodCidr: this.opts.podCidr }
    if (this.opts.backend === 'vxlan')
      return syncVxlanPeers(
        this.host,
        nodes.map((n) => ({ ...n, vtepMac: n.vtepMac ?? '' })),
        o,
      )
    return syncPeerRoutes(this.host, nodes, o)
  }
}
