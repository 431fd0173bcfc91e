import { expect, test } from 'bun:test'
import { KeyIndex } from './key-index.ts'
import type { Version } from './version.ts'

let id = 0
const put = (rev: number, createRev: number, version: number): Version => ({
  rev,
  createRev,
  version,
  lease: 0,
  id: ++id,
})
const del = (rev: number): Version => ({ rev, createRev: 0, version: 0, lease: 0, id: ++id })

function sample() {
  const ix = new KeyIndex()
  ix.append('a', put(2, 2, 1))
  ix.append('b', put(3, 3, 1))
  ix.append('a', put(4, 2, 2))
  ix.append('b', del(5))
  ix.append('c', put(6, 6, 1))
  ix.append('b', put(7, 7, 1))
  return ix
}

test('reads at past revisions see each key as it was then', () => {
  const ix = sample()
  const at = (rev: number) => ix.range('', '\0', rev).map((e) => `${e.key}@${e.v.rev}`)
  expect(at(1)).toEqual([])
  expect(at(3)).toEqual(['a@2', 'b@3'])
  expect(at(5)).toEqual(['a@4'])
  expect(at(7)).toEqual(['a@4', 'b@7', 'c@6'])
  expect(ix.range('b', 'c', 7).map((e) => e.key)).toEqual(['b'])
  expect(ix.at('b', 6)).toBeUndefined()
})

test('history replays whole revisions with the previous live version', () => {
  const ix = sample()
  const h = ix.history(4, 6, 100).map((c) => [c.key, c.v.rev, c.prev?.rev])
  expect(h).toEqual([
    ['a', 4, 2],
    ['b', 5, 3],
    ['c', 6, undefined],
  ])
  expect(ix.history(7, 7, 100)[0].prev).toBeUndefined() // b was deleted before
  expect(ix.history(2, 7, 2).length).toBe(2)
})

test('compaction keeps the newest version at or below the revision, drops tombstones', () => {
  const ix = sample()
  const dropped = ix.compact(5).map((v) => v.rev)
  expect(dropped.sort()).toEqual([2, 3, 5])
  expect(ix.range('', '\0', 5).map((e) => `${e.key}@${e.v.rev}`)).toEqual(['a@4'])
  expect(ix.range('', '\0', 7).map((e) => `${e.key}@${e.v.rev}`)).toEqual(['a@4', 'b@7', 'c@6'])
  expect(ix.history(6, 7, 100).map((c) => c.v.rev)).toEqual([6, 7])
})

test('truncateFrom undoes a failed txn, forgetting keys it created', () => {
  const ix = sample()
  ix.append('d', put(8, 8, 1))
  ix.append('a', put(8, 2, 3))
  ix.truncateFrom(8)
  expect(ix.latest('d')).toBeUndefined()
  expect(ix.latest('a')?.rev).toBe(4)
  expect(ix.range('', '\0', 8).map((e) => e.key)).toEqual(['a', 'b', 'c'])
})
