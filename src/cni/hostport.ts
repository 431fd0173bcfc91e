// hostPort (what upstream's CNI portmap plugin does): DNAT <node address>:<hostPort> to <podIP>:<containerPort>
// in our own nft table, plus masquerade for a pod reaching its own hostPort (hairpin). Mappings are kept
// on disk per sandbox so a restarted agent rebuilds the same table. Not on 127.0.0.1: that needs
// route_localnet, which would expose the node's loopback services to pods (CVE-2020-8558).
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface HostPort {
  hostPort: number
  containerPort: number
  /** default TCP */
  protocol?: 'TCP' | 'UDP' | 'SCTP'
  /** node address to bind; empty or 0.0.0.0 = every local address */
  hostIP?: string
}

export interface HostPortEntry extends HostPort {
  /** the sandbox owning the mapping */
  id: string
  podIP: string
}

export const HOSTPORT_TABLE = 'kubun-hostport'
/** Our masquerade bit; kube-proxy's (and our proxy's) is 0x4000. */
const HAIRPIN_MARK = '0x00002000'

/** Pure: the whole table, replaced atomically. On a clash (same protocol, port and address) the first wins. */
export function hostPortRuleset(entries: HostPortEntry[], table = HOSTPORT_TABLE): string {
  const t = `ip ${table}`
  const lines = [
    `add table ${t}`,
    `flush table ${t}`,
    `add chain ${t} prerouting { type nat hook prerouting priority -100 ; }`,
    `add chain ${t} output { type nat hook output priority -100 ; }`,
    `add chain ${t} postrouting { type nat hook postrouting priority 100 ; }`,
    `add chain ${t} hostports`,
    `add rule ${t} prerouting fib daddr type local jump hostports`,
    `add rule ${t} output fib daddr type local ip daddr != 127.0.0.0/8 jump hostports`,
    `add rule ${t} postrouting meta mark & ${HAIRPIN_MARK} == ${HAIRPIN_MARK} masquerade`,
  ]
  const seen = new Set<string>()
  const sorted = [...entries].sort(
    (a, b) => proto(a).localeCompare(proto(b)) || a.hostPort - b.hostPort || a.id.localeCompare(b.id),
  )
  for (const e of sorted) {
    const p = proto(e)
    const addr = e.hostIP && e.hostIP !== '0.0.0.0' ? `ip daddr ${e.hostIP} ` : ''
    const key = `${p} ${e.hostPort} ${addr}`
    if (seen.has(key) || seen.has(`${p} ${e.hostPort} `)) continue
    seen.add(key)
    const match = `${addr}${p} dport ${e.hostPort}`
    lines.push(`add rule ${t} hostports ${match} ip saddr ${e.podIP} meta mark set meta mark or ${HAIRPIN_MARK}`)
    lines.push(`add rule ${t} hostports ${match} dnat to ${e.podIP}:${e.containerPort}`)
  }
  return `${lines.join('\n')}\n`
}

const proto = (h: HostPort) => (h.protocol ?? 'TCP').toLowerCase()

/** One JSON file per sandbox with hostPorts under `<dataDir>/agent/cni/hostports`. */
export class HostPortStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true })
  }

  set(id: string, podIP: string, ports: HostPort[]): void {
    const tmp = join(this.dir, `.${id}.tmp`)
    writeFileSync(tmp, JSON.stringify({ podIP, ports }))
    renameSync(tmp, join(this.dir, `${id}.json`))
  }

  /** true when the sandbox had mappings */
  delete(id: string): boolean {
    const had = this.ids().includes(id)
    rmSync(join(this.dir, `${id}.json`), { force: true })
    return had
  }

  entries(): HostPortEntry[] {
    return this.ids().flatMap((id) => {
      try {
        const { podIP, ports } = JSON.parse(readFileSync(join(this.dir, `${id}.json`), 'utf8'))
        return (ports as HostPort[]).map((p) => ({ ...p, id, podIP }))
      } catch {
        return []
      }
    })
  }

  /** Drops mappings of sandboxes not in liveIds; true when something was dropped. */
  reconcile(liveIds: Set<string>): boolean {
    const dead = this.ids().filter((id) => !liveIds.has(id))
    for (const id of dead) this.delete(id)
    return dead.length > 0
  }

  private ids(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
      .map((f) => f.slice(0, -5))
  }
}
