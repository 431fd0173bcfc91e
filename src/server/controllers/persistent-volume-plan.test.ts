import { describe, expect, test } from 'bun:test'
import { defaultClassName, pickVolume, volumeAction, volumeFits } from './persistent-volume-plan.ts'

const pv = (name: string, o: Record<string, any> = {}) => ({
  metadata: { name, labels: o.labels },
  spec: {
    capacity: { storage: o.size ?? '1Gi' },
    accessModes: o.modes ?? ['ReadWriteOnce'],
    storageClassName: o.cls,
    claimRef: o.claimRef,
    persistentVolumeReclaimPolicy: o.policy,
  },
  status: { phase: o.phase ?? 'Available' },
})
const pvc = (o: Record<string, any> = {}) => ({
  metadata: { name: 'data', namespace: 'ns', uid: 'c1' },
  spec: {
    accessModes: o.modes ?? ['ReadWriteOnce'],
    resources: { requests: { storage: o.size ?? '1Gi' } },
    storageClassName: o.cls,
    selector: o.selector,
    volumeName: o.volumeName,
  },
})

describe('volumeFits', () => {
  test.each([
    ['same class, mode, enough capacity', pv('a'), pvc(), true],
    ['too small', pv('a', { size: '500Mi' }), pvc(), false],
    ['bigger is fine', pv('a', { size: '10Gi' }), pvc(), true],
    ['missing access mode', pv('a'), pvc({ modes: ['ReadWriteMany'] }), false],
    ['other class', pv('a', { cls: 'fast' }), pvc(), false],
    ['selector matches', pv('a', { labels: { tier: 'db' } }), pvc({ selector: { matchLabels: { tier: 'db' } } }), true],
    ['selector misses', pv('a'), pvc({ selector: { matchLabels: { tier: 'db' } } }), false],
  ])('%s', (_n, v, c, want) => expect(volumeFits(v, c, c.spec.storageClassName ?? '')).toBe(want))
})

describe('pickVolume', () => {
  test('the smallest free volume that fits', () => {
    const vols = [pv('big', { size: '5Gi' }), pv('small', { size: '1Gi' }), pv('tiny', { size: '100Mi' })]
    expect(pickVolume(pvc(), vols, '')?.metadata?.name).toBe('small')
  })
  test('taken and released volumes are skipped', () => {
    const vols = [pv('taken', { claimRef: { namespace: 'o', name: 'x', uid: 'u' } }), pv('rel', { phase: 'Released' })]
    expect(pickVolume(pvc(), vols, '')).toBeUndefined()
  })
  test('a volume pre-bound to the claim wins; a claim naming a volume gets only that one', () => {
    const vols = [pv('any'), pv('mine', { size: '9Gi', claimRef: { namespace: 'ns', name: 'data' } })]
    expect(pickVolume(pvc(), vols, '')?.metadata?.name).toBe('mine')
    expect(pickVolume(pvc({ volumeName: 'any' }), vols, '')?.metadata?.name).toBe('any')
    expect(pickVolume(pvc({ volumeName: 'nope' }), vols, '')).toBeUndefined()
  })
})

describe('volumeAction', () => {
  const ref = { namespace: 'ns', name: 'data', uid: 'c1' }
  const claim = { metadata: { uid: 'c1' }, spec: { volumeName: 'a' } }
  test.each([
    ['new volume becomes Available', pv('a', { phase: 'Pending' }), undefined, { phase: 'Available' }],
    ['free and Available: nothing', pv('a'), undefined, undefined],
    ['bound claim: Bound', pv('a', { claimRef: ref }), claim, { phase: 'Bound' }],
    ['claim gone, Retain: Released', pv('a', { claimRef: ref, phase: 'Bound' }), undefined, { phase: 'Released' }],
    [
      'claim gone, Delete: deleted',
      pv('a', { claimRef: ref, phase: 'Bound', policy: 'Delete' }),
      undefined,
      { delete: true },
    ],
    [
      'claim replaced (other uid): Released',
      pv('a', { claimRef: ref, phase: 'Bound' }),
      { metadata: { uid: 'c2' }, spec: {} },
      { phase: 'Released' },
    ],
    ['already Released: nothing', pv('a', { claimRef: ref, phase: 'Released' }), undefined, undefined],
  ])('%s', (_n, v, c, want) => expect(volumeAction(v as any, c as any)).toEqual(want as any))
})

describe('defaultClassName', () => {
  const sc = (name: string, created: string, annotations: Record<string, string> = {}) => ({
    metadata: { name, creationTimestamp: created, annotations },
  })
  const yes = { 'storageclass.kubernetes.io/is-default-class': 'true' }
  test.each([
    ['no classes', [], undefined],
    ['none marked default', [sc('a', '2024-01-01T00:00:00Z')], undefined],
    ['the marked one', [sc('a', '2024-01-01T00:00:00Z'), sc('b', '2024-01-01T00:00:00Z', yes)], 'b'],
    [
      'the beta annotation counts',
      [sc('a', '2024-01-01T00:00:00Z', { 'storageclass.beta.kubernetes.io/is-default-class': 'true' })],
      'a',
    ],
    [
      '"false" is not default',
      [sc('a', '2024-01-01T00:00:00Z', { ...yes, [Object.keys(yes)[0]!]: 'false' })],
      undefined,
    ],
    ['several: the newest', [sc('old', '2024-01-01T00:00:00Z', yes), sc('new', '2025-01-01T00:00:00Z', yes)], 'new'],
  ] as const)('%s', (_n, classes, want) => {
    expect(defaultClassName(classes as never)).toBe(want)
  })
})
