// IPv4 service ranges (--service-cidr), as upstream's ipallocator: the network and broadcast addresses
// are never handed out, the first usable address is the `kubernetes` Service's, and random picks prefer
// the upper band so they rarely collide with IPs users request from the lower (static) band.

export interface IpRange {
  cidr: string
  /** network address as a 32-bit number */
  base: number
  /** number of addresses in the block */
  size: number
}

export function ipToNumber(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip)
  if (!m) return undefined
  const parts = m.slice(1).map(Number)
  if (parts.some((p) => p > 255)) return undefined
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3]
}

export const numberToIp = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')

/** The first IPv4 block of a (possibly dual-stack, comma-separated) --service-cidr. */
export function parseServiceCidr(cidrs: string): IpRange {
  for (const cidr of cidrs.split(',').map((s) => s.trim())) {
    const [ip, bits] = cidr.split('/')
    const n = ipToNumber(ip)
    const prefix = Number(bits)
    if (n === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) continue
    const size = 2 ** (32 - prefix)
    return { cidr, base: n - (n % size), size }
  }
  throw new Error(`--service-cidr "${cidrs}" has no IPv4 block between /8 and /30: give one such as 10.43.0.0/16`)
}

/** Usable addresses are base+1 .. base+size-2. */
export function contains(r: IpRange, ip: string): boolean {
  const n = ipToNumber(ip)
  return n !== undefined && n > r.base && n < r.base + r.size - 1
}

export const firstIp = (r: IpRange) => numberToIp(r.base + 1)

/** upstream's static band: min(max(16, size/16), 256) addresses at the bottom */
export const staticBand = (r: IpRange) => Math.min(Math.max(16, Math.floor(r.size / 16)), 256)

/** A random free address, upper band first. `taken` holds dotted IPs. */
export function pickFreeIp(r: IpRange, taken: Set<string>, random = Math.random): string | undefined {
  const lo = r.base + 1
  const hi = r.base + r.size - 2
  const bandStart = Math.min(r.base + staticBand(r), hi)
  return pickIn(bandStart, hi, taken, random) ?? pickIn(lo + 1, hi, taken, random)
}

function pickIn(lo: number, hi: number, taken: Set<string>, random: () => number): string | undefined {
  const span = hi - lo + 1
  if (span <= 0) return undefined
  const start = Math.floor(random() * span)
  for (let i = 0; i < span; i++) {
    const ip = numberToIp(lo + ((start + i) % span))
    if (!taken.has(ip)) return ip
  }
  return undefined
}
