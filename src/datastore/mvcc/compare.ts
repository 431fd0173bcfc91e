// Txn compares, as etcd's applyCompare/compareKV: every key of the range must satisfy the
// compare; a missing key compares as a zero KeyValue (version/create/mod/lease 0), except that a
// value compare on a missing key always fails ("no way to represent a missing value").
import type { Compare } from '../backend.ts'
import type { Version } from './version.ts'

export interface ComparedKey {
  v: Version
  value: () => Uint8Array
}

export function compareHolds(c: Compare, found: ComparedKey[]): boolean {
  if (!found.length) return c.target === 'value' ? false : holds(c.result, cmp(0, c.value as number))
  return found.every((f) => holds(c.result, c.target === 'value' ? compareBytes(f.value(), c.value) : field(c, f.v)))
}

function field(c: Compare, v: Version): number {
  const want = c.value as number
  switch (c.target) {
    case 'version':
      return cmp(v.version, want)
    case 'create':
      return cmp(v.createRev, want)
    case 'mod':
      return cmp(v.rev, want)
    case 'lease':
      return cmp(v.lease, want)
    default:
      throw new Error(`unknown compare target ${(c as Compare).target}`)
  }
}

/** `r` is the three-way comparison of the stored field against the compare value. */
function holds(result: Compare['result'], r: number): boolean {
  switch (result) {
    case 'equal':
      return r === 0
    case 'not_equal':
      return r !== 0
    case 'greater':
      return r > 0
    case 'less':
      return r < 0
  }
}

const cmp = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0)

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1
  return cmp(a.length, b.length)
}
