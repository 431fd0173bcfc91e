// Network part of `kubun killall`: remove what the agent's pod network and proxy put on the host, as
// k3s-killall.sh does for flannel/cni0 (stop kubun's containers first; their veths then go with them).
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { deleteBridge, detach, linkExists, listVeths } from '../cni/bridge.ts'
import { host } from '../cni/exec.ts'
import { CNI_TABLE, deleteNftTable, removeDockerUserAccept } from '../cni/firewall.ts'
import { HOSTPORT_TABLE } from '../cni/hostport.ts'
import { removeOurRoutes } from '../cni/routes.ts'
import { VXLAN_DEVICE } from '../cni/vxlan.ts'
import { DEFAULT_TABLE } from './proxy/ruleset.ts'

export interface CleanupNetworkOptions {
  /** default cni0 */
  bridge?: string
  /** nft tables (family ip) to delete; default the proxy's, the pod NAT and the hostPort tables */
  tables?: string[]
  /** the VXLAN device, default flannel.1 */
  vxlanDevice?: string
  /** when given, <dataDir>/agent/cni (IPAM state) is removed too */
  dataDir?: string
  /** network namespace path to clean, default the caller's */
  netns?: string
}

/** Idempotent; returns one line per thing removed, for killall to print. */
export async function cleanupNetwork(o: CleanupNetworkOptions = {}): Promise<string[]> {
  const h = host(o.netns)
  const bridge = o.bridge ?? 'cni0'
  const done: string[] = []
  for (const v of await listVeths(h, bridge)) {
    await detach(h, v)
    done.push(`removed veth ${v}`)
  }
  await removeDockerUserAccept(h, bridge)
  if (await linkExists(h, bridge)) {
    await deleteBridge(h, bridge)
    done.push(`removed bridge ${bridge}`)
  }
  const vxlan = o.vxlanDevice ?? VXLAN_DEVICE
  if (await linkExists(h, vxlan)) {
    await h.run(['ip', 'link', 'del', vxlan], { allowFail: true })
    done.push(`removed vxlan device ${vxlan}`)
  }
  for (const t of o.tables ?? [DEFAULT_TABLE, CNI_TABLE, HOSTPORT_TABLE]) {
    if ((await h.run(['nft', 'list', 'table', 'ip', t], { allowFail: true })).code !== 0) continue
    await deleteNftTable(h, 'ip', t)
    done.push(`removed nft table ip ${t}`)
  }
  await removeOurRoutes(h)
  if (o.dataDir) {
    rmSync(join(o.dataDir, 'agent', 'cni'), { recursive: true, force: true })
    done.push(`removed ${join(o.dataDir, 'agent', 'cni')}`)
  }
  return done
}
