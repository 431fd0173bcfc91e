import { describe, expect, test } from 'bun:test'
import { addDefaultTolerations, desiredTaints, evictionTime, NOT_READY, UNREACHABLE } from './node-lifecycle-taints.ts'

const now = '2026-01-01T00:00:00Z'
const t0 = Date.parse(now)

describe('node lifecycle taints', () => {
  test.each([
    ['True', []],
    ['False', [`${NOT_READY}:NoSchedule`, `${NOT_READY}:NoExecute`]],
    ['Unknown', [`${UNREACHABLE}:NoSchedule`, `${UNREACHABLE}:NoExecute`]],
  ])('Ready=%s', (ready, want) => {
    const got = desiredTaints([{ key: 'dedicated', effect: 'NoSchedule' }], ready, now)
    expect(got.map((t) => `${t.key}:${t.effect}`)).toEqual(['dedicated:NoSchedule', ...want])
  })
  test('an existing taint keeps its timeAdded; node back → our taints go', () => {
    const first = desiredTaints([], 'Unknown', now)
    const later = desiredTaints(first, 'Unknown', '2026-01-01T00:05:00Z')
    expect(later.find((t) => t.effect === 'NoExecute')?.timeAdded).toBe(now)
    expect(desiredTaints(later, 'True', now)).toEqual([])
  })
})

describe('taint-based eviction', () => {
  const unreachable = [{ key: UNREACHABLE, effect: 'NoExecute', timeAdded: now }]
  test.each<[string, any[] | undefined, 'now' | number | undefined]>([
    ['no toleration: at once', undefined, 'now'],
    [
      'tolerated for 300 s',
      [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      t0 + 300_000,
    ],
    ['tolerated forever', [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute' }], undefined],
    [
      'smallest seconds wins',
      [
        { operator: 'Exists', tolerationSeconds: 60 },
        { key: UNREACHABLE, operator: 'Exists', tolerationSeconds: 10 },
      ],
      t0 + 10_000,
    ],
    ['NoSchedule toleration does not count', [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoSchedule' }], 'now'],
  ])('%s', (_n, tolerations, want) => expect(evictionTime(unreachable, tolerations, t0)).toEqual(want))
  test('deadline passed → now', () =>
    expect(evictionTime(unreachable, [{ key: UNREACHABLE, operator: 'Exists', tolerationSeconds: 5 }], t0 + 6000)).toBe(
      'now',
    ))
  test('no NoExecute taint → never', () =>
    expect(evictionTime([{ key: 'x', effect: 'NoSchedule' }], [], t0)).toBeUndefined())
})

describe('DefaultTolerationSeconds', () => {
  test('adds both tolerations once', () => {
    const t = addDefaultTolerations(undefined, 300)
    expect(t).toEqual([
      { key: NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ])
    expect(addDefaultTolerations(t, 300)).toEqual(t)
  })
  test('a pod tolerating everything gets nothing', () =>
    expect(addDefaultTolerations([{ operator: 'Exists' }], 5)).toHaveLength(1))
})
