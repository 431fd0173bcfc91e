import { expect, test } from 'bun:test'
import { planStatefulSet, statefulPod } from './stateful-set-plan.ts'

const set = (o: { replicas?: number; parallel?: boolean; partition?: number; onDelete?: boolean } = {}) => ({
  metadata: { name: 'web', namespace: 'ns', uid: 's1', generation: 2 },
  spec: {
    replicas: o.replicas ?? 3,
    serviceName: 'web',
    podManagementPolicy: o.parallel ? 'Parallel' : 'OrderedReady',
    updateStrategy: o.onDelete
      ? { type: 'OnDelete' }
      : { type: 'RollingUpdate', rollingUpdate: { partition: o.partition ?? 0 } },
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }],
  },
})
const pod = (i: number, o: { ready?: boolean; rev?: string; phase?: string; deleting?: boolean } = {}) => ({
  metadata: {
    name: `web-${i}`,
    labels: { 'controller-revision-hash': o.rev ?? 'web-new' },
    ...(o.deleting ? { deletionTimestamp: 'x' } : {}),
  },
  status: {
    phase: o.phase ?? (o.ready === false ? 'Pending' : 'Running'),
    conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
  },
})
const rev = { current: 'web-old', update: 'web-new' }
const claims = new Set(['data-web-0', 'data-web-1', 'data-web-2', 'data-web-3'])
const plan = (s: any, pods: any[]) => planStatefulSet(s, pods, claims, rev, Date.now())
const names = (p: ReturnType<typeof plan>) => ({
  create: p.create.map((c) => c.ordinal),
  delete: p.delete.map((d) => d.metadata?.name),
})

test.each([
  {
    name: 'OrderedReady creates the lowest missing ordinal only',
    s: set(),
    pods: [],
    want: { create: [0], delete: [] },
  },
  {
    name: 'OrderedReady waits for a pod that is not Ready',
    s: set(),
    pods: [pod(0, { ready: false })],
    want: { create: [], delete: [] },
  },
  {
    name: 'OrderedReady goes on once the previous is Ready',
    s: set(),
    pods: [pod(0)],
    want: { create: [1], delete: [] },
  },
  {
    name: 'Parallel creates every missing ordinal',
    s: set({ parallel: true }),
    pods: [pod(1)],
    want: { create: [0, 2], delete: [] },
  },
  {
    name: 'scale down removes the highest ordinal first, one at a time',
    s: set({ replicas: 1 }),
    pods: [pod(0), pod(1), pod(2)],
    want: { create: [], delete: ['web-2'] },
  },
  {
    name: 'a failed pod is deleted to be recreated',
    s: set(),
    pods: [pod(0, { phase: 'Failed' })],
    want: { create: [], delete: ['web-0'] },
  },
  {
    name: 'rolling update replaces the highest outdated ordinal',
    s: set(),
    pods: [pod(0, { rev: 'web-old' }), pod(1, { rev: 'web-old' }), pod(2, { rev: 'web-old' })],
    want: { create: [], delete: ['web-2'] },
  },
  {
    name: 'the partition protects lower ordinals',
    s: set({ partition: 2 }),
    pods: [pod(0, { rev: 'web-old' }), pod(1, { rev: 'web-old' }), pod(2)],
    want: { create: [], delete: [] },
  },
  {
    name: 'OnDelete never deletes for an update',
    s: set({ onDelete: true }),
    pods: [pod(0, { rev: 'web-old' }), pod(1, { rev: 'web-old' }), pod(2, { rev: 'web-old' })],
    want: { create: [], delete: [] },
  },
])('$name', ({ s, pods, want }) => {
  expect(names(plan(s, [...pods]))).toEqual(want as any)
})

test('ordinals below the partition are recreated at the current revision; claims are planned for missing PVCs', () => {
  const p = planStatefulSet(set({ partition: 2, parallel: true }), [], new Set(), rev, Date.now())
  expect(p.create).toEqual([
    { ordinal: 0, revision: 'current' },
    { ordinal: 1, revision: 'current' },
    { ordinal: 2, revision: 'update' },
  ])
  expect(p.claims.map((c) => c.metadata?.name)).toEqual(['data-web-0', 'data-web-1', 'data-web-2'])
})

test('status counts revisions; the current revision moves once every pod is updated and ready', () => {
  const s = { ...set(), status: { currentRevision: 'web-old' } }
  const mid = plan(s, [pod(0, { rev: 'web-old' }), pod(1), pod(2)])
  expect(mid.status).toMatchObject({
    replicas: 3,
    readyReplicas: 3,
    currentReplicas: 1,
    updatedReplicas: 2,
    currentRevision: 'web-old',
    updateRevision: 'web-new',
  })
  const done = plan(s, [pod(0), pod(1), pod(2)])
  expect(done.status).toMatchObject({ currentReplicas: 3, currentRevision: 'web-new' })
  const p = statefulPod(set(), set().spec.template, 1, 'web-new')
  expect(p.metadata?.labels).toMatchObject({
    'statefulset.kubernetes.io/pod-name': 'web-1',
    'apps.kubernetes.io/pod-index': '1',
    'controller-revision-hash': 'web-new',
  })
})

test('OrderedReady plans claims only for the pod it creates, and again for a Pending pod that lost one', () => {
  const none = new Set<string>()
  const first = planStatefulSet(set(), [], none, rev, Date.now())
  expect(first.claims.map((c) => c.metadata?.name)).toEqual(['data-web-0'])
  const waiting = planStatefulSet(set(), [pod(0, { ready: false })], none, rev, Date.now())
  expect(waiting.claims.map((c) => c.metadata?.name)).toEqual(['data-web-0'])
  expect(waiting.create).toEqual([])
  const running = planStatefulSet(set(), [pod(0)], new Set(['data-web-0']), rev, Date.now())
  expect(running.claims.map((c) => c.metadata?.name)).toEqual(['data-web-1'])
})
