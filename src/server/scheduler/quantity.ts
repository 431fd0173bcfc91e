// Kubernetes resource quantities (apimachinery resource.Quantity) as plain numbers: CPU in millicores,
// everything else in base units (bytes, counts). Only what scheduling needs: suffixes, decimals, exponents.

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 }
const decimal: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
}

/** The quantity's value in base units; NaN for text that is not a quantity. */
export function parseQuantity(q: string | number | undefined | null): number {
  if (q === undefined || q === null || q === '') return 0
  if (typeof q === 'number') return q
  const m = /^([+-]?[0-9.]+)(?:[eE]([+-]?\d+))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/.exec(q.trim())
  if (!m) return Number.NaN
  const n = Number(m[1]) * (m[2] ? 10 ** Number(m[2]) : 1)
  const suffix = m[3] ?? ''
  return n * (binary[suffix] ?? decimal[suffix] ?? 1)
}

/** CPU in millicores, rounded up as upstream's MilliValue does. */
export const milliCpu = (q: string | number | undefined | null) => Math.ceil(Math.round(parseQuantity(q) * 1e6) / 1e3)

/** A resource amount by name: cpu in millicores, the rest in base units. */
export const resourceAmount = (name: string, q: string | number | undefined | null) =>
  name === 'cpu' ? milliCpu(q) : Math.ceil(parseQuantity(q))
