// --service-node-port-range ("30000-32767"): parse and pick a free port, as upstream's portallocator.

export interface PortRange {
  base: number
  size: number
}

export function parsePortRange(text: string): PortRange {
  const m = /^\s*(\d+)\s*[-+]\s*(\d+)\s*$/.exec(text)
  const lo = m ? Number(m[1]) : Number.NaN
  const hi = m ? Number(m[2]) : Number.NaN
  if (!m || lo < 1 || hi > 65535 || hi < lo)
    throw new Error(`--service-node-port-range "${text}" is not a range such as 30000-32767`)
  return { base: lo, size: hi - lo + 1 }
}

export const inRange = (r: PortRange, port: number) =>
  Number.isInteger(port) && port >= r.base && port < r.base + r.size

export const describeRange = (r: PortRange) => `${r.base}-${r.base + r.size - 1}`

export function pickFreePort(r: PortRange, taken: Set<number>, random = Math.random): number | undefined {
  const start = Math.floor(random() * r.size)
  for (let i = 0; i < r.size; i++) {
    const p = r.base + ((start + i) % r.size)
    if (!taken.has(p)) return p
  }
  return undefined
}
