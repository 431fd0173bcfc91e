import { expect, test } from 'bun:test'
import { planReplicaSet, rankForDeletion } from './replica-set-plan.ts'

const now = Date.parse('2026-01-01T00:10:00Z')
const pod = (
  name: string,
  o: { node?: string; phase?: string; ready?: string; created?: string; deleting?: boolean } = {},
) =>
  ({
    metadata: {
      name,
      labels: { app: 'web' },
      creationTimestamp: o.created ?? '2026-01-01T00:00:00Z',
      ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:09:00Z' } : {}),
    },
    spec: o.node ? { nodeName: o.node } : {},
    status: {
      phase: o.phase ?? 'Pending',
      conditions: o.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: o.ready }] : [],
    },
  }) as any
const rs = (replicas: number, minReadySeconds = 0) => ({
  metadata: { generation: 4 },
  spec: { replicas, minReadySeconds, template: { metadata: { labels: { app: 'web' } } } },
})

test.each([
  { name: 'creates the missing pods', replicas: 3, pods: [pod('a')], create: 2, deleted: [] as string[] },
  { name: 'nothing to do at the desired count', replicas: 1, pods: [pod('a')], create: 0, deleted: [] },
  {
    name: 'a terminating pod is replaced at once',
    replicas: 1,
    pods: [pod('a', { deleting: true })],
    create: 1,
    deleted: [],
  },
  {
    name: 'deletes unscheduled before pending before ready',
    replicas: 1,
    pods: [
      pod('ready', { node: 'n', phase: 'Running', ready: '2026-01-01T00:01:00Z' }),
      pod('pending', { node: 'n' }),
      pod('unscheduled'),
    ],
    create: 0,
    deleted: ['unscheduled', 'pending'],
  },
  {
    name: 'among equals the newest goes first',
    replicas: 1,
    pods: [pod('old', { created: '2026-01-01T00:00:00Z' }), pod('new', { created: '2026-01-01T00:05:00Z' })],
    create: 0,
    deleted: ['new'],
  },
])('$name', ({ replicas, pods, create, deleted }) => {
  const p = planReplicaSet(rs(replicas), [...pods], now)
  expect(p.create).toBe(create)
  expect(p.delete.map((x: any) => x.metadata.name)).toEqual([...deleted])
})

test('status counts ready and available (after minReadySeconds) and asks to look again', () => {
  const pods = [
    pod('a', { node: 'n', phase: 'Running', ready: '2026-01-01T00:00:00Z' }),
    pod('b', { node: 'n', phase: 'Running', ready: '2026-01-01T00:09:55Z' }),
    pod('c'),
  ]
  const p = planReplicaSet(rs(3, 10), pods, now)
  expect(p.status).toEqual({
    replicas: 3,
    fullyLabeledReplicas: 3,
    readyReplicas: 2,
    availableReplicas: 1,
    observedGeneration: 4,
  })
  expect(p.requeueAfterMs).toBe(5000)
})

test('the ready pod that became ready most recently is deleted before a long-ready one', () => {
  const ranked = rankForDeletion(
    [
      pod('long', { node: 'n', phase: 'Running', ready: '2026-01-01T00:01:00Z' }),
      pod('recent', { node: 'n', phase: 'Running', ready: '2026-01-01T00:09:00Z' }),
    ],
    now,
  )
  expect(ranked.map((p: any) => p.metadata.name)).toEqual(['recent', 'long'])
})
