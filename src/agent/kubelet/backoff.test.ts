import { expect, test } from 'bun:test'
import { crashLoopDelayMs } from './backoff.ts'

test.each([
  [0, 0, 0],
  [1, 0, 10_000],
  [2, 0, 20_000],
  [3, 5_000, 40_000],
  [6, 0, 300_000],
  [20, 0, 300_000],
  [4, 600_000, 0],
])('restartCount %i, ran %i ms → %i ms', (count, ran, want) => {
  expect(crashLoopDelayMs(count, ran)).toBe(want)
})
