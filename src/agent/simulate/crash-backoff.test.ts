import { describe, expect, test } from 'bun:test'
import { crashBackoffMs, goDuration, podRef } from './crash-backoff.ts'

describe('crash back-off schedule (base 10 s)', () => {
  test.each([
    ['first crash restarts at once', 0, 0, 0],
    ['second crash waits the base', 1, 0, 10_000],
    ['then doubles', 2, 0, 20_000],
    ['and doubles again', 3, 5_000, 40_000],
    ['160 s', 5, 0, 160_000],
    ['capped at 5 min', 6, 0, 300_000],
    ['stays capped', 20, 0, 300_000],
    ['ran 10 min: starts over', 4, 600_000, 0],
    ['ran just under 10 min: still backs off', 4, 599_999, 80_000],
  ])('%s', (_n, count, ran, want) => {
    expect(crashBackoffMs(count, ran, 10_000)).toBe(want)
  })

  test.each([
    [100, 1, 100],
    [100, 3, 400],
    [100, 9, 3000],
    [0, 5, 0],
  ])('base %i ms, restartCount %i → %i ms (cap 30× base)', (base, count, want) => {
    expect(crashBackoffMs(count, 0, base)).toBe(want)
  })
})

describe('go durations in back-off messages', () => {
  test.each([
    [10_000, '10s'],
    [80_000, '1m20s'],
    [160_000, '2m40s'],
    [300_000, '5m0s'],
    [200, '200ms'],
    [1500, '1.5s'],
    [3_600_000, '1h0m0s'],
  ])('%i ms → %s', (ms, want) => expect(goDuration(ms)).toBe(want))
  test('pod reference', () => expect(podRef('web', 'default', 'u1')).toBe('web_default(u1)'))
})
