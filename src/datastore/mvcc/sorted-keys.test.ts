import { expect, test } from 'bun:test'
import { SortedKeys } from './sorted-keys.ts'

test('keeps byte order across chunk splits, inserts and removes', () => {
  const s = new SortedKeys()
  const want = new Set<string>()
  // a deterministic shuffle of 3000 binary keys: enough to split chunks several times
  for (let i = 0; i < 3000; i++) {
    const k = String.fromCharCode((i * 97) & 0xff, i >> 8, (i * 31) & 0xff)
    expect(s.insert(k)).toBe(!want.has(k))
    want.add(k)
  }
  for (const k of [...want].filter((_, i) => i % 3 === 0)) {
    expect(s.remove(k)).toBe(true)
    want.delete(k)
  }
  expect(s.remove('\xff\xff\xff\xff')).toBe(false)
  const sorted = [...want].sort()
  expect([...s.from('')]).toEqual(sorted)
  expect(s.size).toBe(sorted.length)
  const start = sorted[1000]
  const seen: string[] = []
  s.scan(start, (k) => seen.push(k) < 5)
  expect(seen).toEqual(sorted.slice(1000, 1005))
  expect(s.has(start)).toBe(true)
  expect(s.has(`${start}\0`)).toBe(false)
})

test('an empty set yields nothing', () => {
  const s = new SortedKeys()
  expect([...s.from('a')]).toEqual([])
  expect(s.has('a')).toBe(false)
  expect(s.remove('a')).toBe(false)
})
