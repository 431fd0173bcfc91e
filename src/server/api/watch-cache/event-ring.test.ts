import { expect, test } from 'bun:test'
import { type CachedEvent, EventRing } from './event-ring.ts'

const ev = (revision: number): CachedEvent => ({ type: 'ADDED', revision, key: `/k/${revision}`, object: {} })

test('keeps the newest events and moves the window start as it evicts', () => {
  const r = new EventRing(3, 10)
  for (const rev of [11, 12, 13]) r.push(ev(rev))
  expect(r.windowStart).toBe(10)
  expect(r.since(11).map((e) => e.revision)).toEqual([12, 13])
  r.push(ev(14))
  expect(r.windowStart).toBe(11)
  expect(r.since(11).map((e) => e.revision)).toEqual([12, 13, 14])
  expect(r.since(14)).toEqual([])
})

test('events of one revision evicted partly close the window at that revision', () => {
  const r = new EventRing(2, 0)
  r.push(ev(5))
  r.push(ev(5))
  r.push(ev(6))
  expect(r.windowStart).toBe(5)
  expect(r.since(5).map((e) => e.revision)).toEqual([6])
})
