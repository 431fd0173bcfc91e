// host-local-style IPAM: a pure allocator over the node's podCIDR plus a store that persists one file per
// allocated address (named after the IP, holding the owner id), as upstream CNI host-local does under
// /var/lib/cni/networks/<network>/. The directory is the source of truth, so a restarted agent sees the
// same allocations and never hands an address out twice.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Cidr, cidrContains, cidrSize, formatIp, gatewayOf, parseCidr, parseIp } from './cidr.ts'

export class IpamExhaustedError extends Error {
  override name = 'IpamExhaustedError'
  constructor(cidr: string) {
    super(`no free pod address left in ${cidr}; delete unused pods or give the node a larger podCIDR`)
  }
}

/**
 * Next free address after `last` (round-robin, as host-local resumes after its last reserved IP),
 * skipping the network address, the gateway (.1) and the broadcast address. Null when the range is full.
 */
export function nextFree(cidr: Cidr, used: ReadonlySet<number>, last?: number): number | null {
  const first = gatewayOf(cidr) + 1
  const end = cidr.base + cidrSize(cidr) - 2 // last usable (broadcast excluded)
  if (end < first) return null
  const count = end - first + 1
  const start = last !== undefined && last >= first && last <= end ? last + 1 : first
  for (let i = 0; i < count; i++) {
    const ip = first + ((start - first + i) % count)
    if (!used.has(ip)) return ip
  }
  return null
}

export interface Allocation {
  ip: string
  id: string
}

/** Persisted allocator for one network. Not safe across processes; one agent owns a data dir. */
export class IpamStore {
  readonly cidr: Cidr
  private readonly dir: string
  private byIp = new Map<number, string>()
  private last?: number

  /** dir: `<dataDir>/agent/cni/networks/<network>` */
  constructor(
    dir: string,
    readonly podCidr: string,
  ) {
    this.cidr = parseCidr(podCidr)
    this.dir = dir
    mkdirSync(dir, { recursive: true })
    this.load()
  }

  /** Re-reads the directory (what a restarted agent sees). Files outside the podCIDR are ignored. */
  load(): void {
    this.byIp.clear()
    for (const name of readdirSync(this.dir)) {
      if (name === 'last_reserved_ip.0') {
        try {
          this.last = parseIp(readFileSync(join(this.dir, name), 'utf8').trim())
        } catch {}
        continue
      }
      let ip: number
      try {
        ip = parseIp(name)
      } catch {
        continue
      }
      if (cidrContains(this.cidr, ip)) this.byIp.set(ip, readFileSync(join(this.dir, name), 'utf8').trim())
    }
  }

  /** The address held by `id`, allocating one if it has none (idempotent per id). */
  allocate(id: string): string {
    for (const [ip, owner] of this.byIp) if (owner === id) return formatIp(ip)
    const ip = nextFree(this.cidr, new Set(this.byIp.keys()), this.last)
    if (ip === null) throw new IpamExhaustedError(this.podCidr)
    this.write(formatIp(ip), id)
    this.write('last_reserved_ip.0', formatIp(ip))
    this.byIp.set(ip, id)
    this.last = ip
    return formatIp(ip)
  }

  /** Frees every address held by `id`; returns them. */
  release(id: string): string[] {
    const freed: string[] = []
    for (const [ip, owner] of [...this.byIp]) {
      if (owner !== id) continue
      rmSync(join(this.dir, formatIp(ip)), { force: true })
      this.byIp.delete(ip)
      freed.push(formatIp(ip))
    }
    return freed
  }

  /** Frees addresses whose owner is not in `liveIds` (leaks from pods deleted while the agent was down). */
  reconcile(liveIds: Iterable<string>): Allocation[] {
    const live = new Set(liveIds)
    const freed: Allocation[] = []
    for (const { ip, id } of this.list()) {
      if (live.has(id)) continue
      rmSync(join(this.dir, ip), { force: true })
      this.byIp.delete(parseIp(ip))
      freed.push({ ip, id })
    }
    return freed
  }

  list(): Allocation[] {
    return [...this.byIp].sort((a, b) => a[0] - b[0]).map(([ip, id]) => ({ ip: formatIp(ip), id }))
  }

  /** Write-then-rename so a crash never leaves a half-written file. */
  private write(name: string, content: string) {
    const tmp = join(this.dir, `.${name}.tmp`)
    writeFileSync(tmp, content)
    renameSync(tmp, join(this.dir, name))
  }
}

export const ipamDir = (dataDir: string, network = 'kubun') => join(dataDir, 'agent', 'cni', 'networks', network)
