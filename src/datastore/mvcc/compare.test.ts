import { describe, expect, test } from 'bun:test'
import type { Compare } from '../backend.ts'
import { compareBytes, compareHolds } from './compare.ts'
import type { Version } from './version.ts'

const v: Version = { rev: 5, createRev: 3, version: 2, lease: 7, id: 1 }
const enc = (s: string) => new TextEncoder().encode(s)
const found = [{ v, value: () => enc('abc') }]

describe('compareHolds', () => {
  test.each<[string, Compare, boolean]>([
    ['mod equal', { key: 'k', target: 'mod', result: 'equal', value: 5 }, true],
    ['mod greater', { key: 'k', target: 'mod', result: 'greater', value: 4 }, true],
    ['mod less', { key: 'k', target: 'mod', result: 'less', value: 5 }, false],
    ['create not_equal', { key: 'k', target: 'create', result: 'not_equal', value: 3 }, false],
    ['version equal', { key: 'k', target: 'version', result: 'equal', value: 2 }, true],
    ['lease equal', { key: 'k', target: 'lease', result: 'equal', value: 7 }, true],
    ['value equal', { key: 'k', target: 'value', result: 'equal', value: enc('abc') }, true],
    ['value greater (prefix is less)', { key: 'k', target: 'value', result: 'greater', value: enc('ab') }, true],
    ['value less', { key: 'k', target: 'value', result: 'less', value: enc('abd') }, true],
  ])('%s', (_name, c, want) => {
    expect(compareHolds(c, found)).toBe(want)
  })

  test.each<[string, Compare, boolean]>([
    // etcd: a missing key is a zero KeyValue; a value compare on it always fails
    ['missing mod == 0', { key: 'k', target: 'mod', result: 'equal', value: 0 }, true],
    ['missing version < 1', { key: 'k', target: 'version', result: 'less', value: 1 }, true],
    ['missing create > 0', { key: 'k', target: 'create', result: 'greater', value: 0 }, false],
    ['missing value != x', { key: 'k', target: 'value', result: 'not_equal', value: enc('x') }, false],
  ])('%s', (_name, c, want) => {
    expect(compareHolds(c, [])).toBe(want)
  })

  test('over a range every key must hold', () => {
    const other = { v: { ...v, rev: 9 }, value: () => enc('') }
    expect(
      compareHolds({ key: 'a', rangeEnd: 'z', target: 'mod', result: 'greater', value: 4 }, [...found, other]),
    ).toBe(true)
    expect(compareHolds({ key: 'a', rangeEnd: 'z', target: 'mod', result: 'less', value: 6 }, [...found, other])).toBe(
      false,
    )
  })
})

test('compareBytes is unsigned lexicographic order', () => {
  expect(compareBytes(new Uint8Array([0xff]), new Uint8Array([0x00, 0x01]))).toBe(1)
  expect(compareBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(0)
  expect(compareBytes(new Uint8Array([1]), new Uint8Array([1, 0]))).toBe(-1)
})
