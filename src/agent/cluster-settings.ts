// The cluster settings an agent runs with. A k3s agent has no --cluster-cidr/--service-cidr/--cluster-dns
// flags: it receives them from the server when it joins. Values given in-process (the server's own
// agent) win, then the server's, then the k3s defaults (a server too old to send them).
import type { ClusterSettings } from '../server/join/index.ts'

export const CLUSTER_DEFAULTS: ClusterSettings = {
  clusterCidr: '10.42.0.0/16',
  serviceCidr: '10.43.0.0/16',
  clusterDns: '10.43.0.10',
  clusterDomain: 'cluster.local',
  nodePortRange: '30000-32767',
}

export function clusterSettings(
  local: Partial<ClusterSettings>,
  fromServer: Partial<ClusterSettings> | undefined,
): ClusterSettings {
  const out = { ...CLUSTER_DEFAULTS }
  for (const k of Object.keys(out) as (keyof ClusterSettings)[]) {
    const v = local[k] || fromServer?.[k]
    if (v) out[k] = v
  }
  return out
}
