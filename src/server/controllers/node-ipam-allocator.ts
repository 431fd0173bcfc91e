// Pod CIDRs per node (kube-controller-manager's range allocator): --cluster-cidr split into /24s
// (node-cidr-mask-size), handed out lowest-free first; the state is rebuilt from the Nodes' spec.podCIDR
// at start, so the Node objects are the only record and nothing is handed out twice.

export class CidrExhausted extends Error {
  constructor(cidr: string) {
    super(`no pod CIDR left in --cluster-cidr ${cidr}; choose a larger --cluster-cidr or remove unused nodes`)
    this.name = 'CidrExhausted'
  }
}

const ipToInt = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0)
const intToIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')

export function parseCidr(cidr: string): { base: number; bits: number } {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr.trim())
  if (!m) throw new Error(`invalid CIDR "${cidr}": expected an IPv4 CIDR such as 10.42.0.0/16`)
  const bits = Number(m[2])
  const size = 2 ** (32 - bits)
  return { base: Math.floor(ipToInt(m[1]) / size) * size, bits }
}

export class CidrAllocator {
  private readonly base: number
  private readonly count: number
  private readonly step: number
  private used = new Set<number>()
  private next = 0

  constructor(
    private readonly clusterCidr: string,
    private readonly maskSize = 24,
  ) {
    const { base, bits } = parseCidr(clusterCidr)
    if (maskSize < bits) throw new Error(`node mask /${maskSize} is larger than --cluster-cidr ${clusterCidr}`)
    this.base = base
    this.step = 2 ** (32 - maskSize)
    this.count = 2 ** (maskSize - bits)
  }

  private indexOf(cidr: string): number | undefined {
    const { base, bits } = parseCidr(cidr)
    if (bits !== this.maskSize) return undefined
    const i = (base - this.base) / this.step
    return Number.isInteger(i) && i >= 0 && i < this.count ? i : undefined
  }

  /** Marks a CIDR as taken (a node already has it); false when outside the cluster CIDR. */
  occupy(cidr: string): boolean {
    const i = this.indexOf(cidr)
    if (i === undefined) return false
    this.used.add(i)
    return true
  }

  release(cidr: string): void {
    const i = this.indexOf(cidr)
    if (i !== undefined) this.used.delete(i)
  }

  isUsed(cidr: string): boolean {
    const i = this.indexOf(cidr)
    return i !== undefined && this.used.has(i)
  }

  /** The next free CIDR (round-robin after the last one given, like upstream's CIDR set). */
  allocate(): string {
    for (let k = 0; k < this.count; k++) {
      const i = (this.next + k) % this.count
      if (!this.used.has(i)) {
        this.used.add(i)
        this.next = (i + 1) % this.count
        return `${intToIp(this.base + i * this.step)}/${this.maskSize}`
      }
    }
    throw new CidrExhausted(this.clusterCidr)
  }
}
