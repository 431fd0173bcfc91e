// Pod traffic rules outside the proxy: masquerade pod → outside in our own nft table, and accept rules in
// Docker's DOCKER-USER chain. Docker's `table ip filter` FORWARD policy is drop and, with
// bridge-nf-call-iptables=1, even pod↔pod frames on the bridge traverse it; an accept in our own table does
// not override a drop in another table on the same hook (verified, DESIGN.md), so the accept must live there.
import type { Host } from './exec.ts'

export const CNI_TABLE = 'kubun-cni'

/** Pure: the NAT table for pod egress, replaced atomically (add + flush + rules in one `nft -f`). */
export function cniNatRuleset(o: { podCidr: string; clusterCidr: string; table?: string }): string {
  const t = `ip ${o.table ?? CNI_TABLE}`
  return [
    `add table ${t}`,
    `flush table ${t}`,
    `add chain ${t} postrouting { type nat hook postrouting priority 100 ; }`,
    // As flannel's ip-masq: pods keep their source address inside the cluster CIDR, are masqueraded beyond it.
    `add rule ${t} postrouting ip saddr ${o.podCidr} ip daddr != ${o.clusterCidr} ip daddr != 224.0.0.0/4 masquerade`,
    '',
  ].join('\n')
}

export async function ensureCniNat(h: Host, o: { podCidr: string; clusterCidr: string; table?: string }) {
  await h.run(['nft', '-f', '-'], { stdin: cniNatRuleset(o) })
}

/** Inserts `-i BR -j ACCEPT` and `-o BR -j ACCEPT` into DOCKER-USER once; no-op when Docker's chain is absent. */
export async function ensureDockerUserAccept(h: Host, bridge: string): Promise<boolean> {
  if (!(await dockerUserExists(h))) return false
  for (const dir of ['-i', '-o']) {
    const rule = ['DOCKER-USER', dir, bridge, '-j', 'ACCEPT']
    if ((await h.run(['iptables', '-w', '-C', ...rule], { allowFail: true })).code !== 0)
      await h.run(['iptables', '-w', '-I', ...rule])
  }
  return true
}

export async function removeDockerUserAccept(h: Host, bridge: string): Promise<void> {
  if (!(await dockerUserExists(h))) return
  for (const dir of ['-i', '-o']) {
    const rule = ['DOCKER-USER', dir, bridge, '-j', 'ACCEPT']
    while ((await h.run(['iptables', '-w', '-D', ...rule], { allowFail: true })).code === 0) {}
  }
}

async function dockerUserExists(h: Host): Promise<boolean> {
  const r = await h.run(['iptables', '-w', '-n', '-L', 'DOCKER-USER'], { allowFail: true }).catch(() => null)
  return r?.code === 0
}

export async function deleteNftTable(h: Host, family: string, table: string): Promise<void> {
  await h.run(['nft', 'delete', 'table', family, table], { allowFail: true })
}
