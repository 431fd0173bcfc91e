// IPv4 CIDR arithmetic (pure). Addresses are unsigned 32-bit numbers.

export interface Cidr {
  /** network address as an unsigned 32-bit number */
  base: number
  prefix: number
}

export function parseIp(s: string): number {
  const parts = s.split('.')
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255))
    throw new Error(`invalid IPv4 address "${s}"`)
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0)
}

export const formatIp = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')

export function parseCidr(s: string): Cidr {
  const [ip, len] = s.split('/')
  const prefix = Number(len)
  if (len === undefined || !/^\d{1,2}$/.test(len) || prefix > 32) throw new Error(`invalid IPv4 CIDR "${s}"`)
  const size = 2 ** (32 - prefix)
  return { base: Math.floor(parseIp(ip) / size) * size, prefix }
}

export const cidrSize = (c: Cidr) => 2 ** (32 - c.prefix)
export const formatCidr = (c: Cidr) => `${formatIp(c.base)}/${c.prefix}`
export const cidrContains = (c: Cidr, ip: number) => ip >= c.base && ip < c.base + cidrSize(c)

/** The first host address (.1 in a /24): the bridge's gateway address, as upstream host-local. */
export const gatewayOf = (c: Cidr) => c.base + 1
