import { expect, test } from 'bun:test'
import { pinToNode, planDaemonSet, shouldRun, targetNode } from './daemon-set-plan.ts'

const node = (name: string, o: { labels?: Record<string, string>; taints?: any[]; unschedulable?: boolean } = {}) => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
  spec: { taints: o.taints, unschedulable: o.unschedulable },
})
const ds = (spec: Record<string, unknown> = {}) => ({
  metadata: { name: 'agent', generation: 1 },
  spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }], ...spec } } },
})

test.each([
  { name: 'a plain node', d: ds(), n: node('a'), run: true },
  { name: 'nodeSelector mismatch', d: ds({ nodeSelector: { disk: 'ssd' } }), n: node('a'), run: false },
  {
    name: 'nodeSelector match',
    d: ds({ nodeSelector: { disk: 'ssd' } }),
    n: node('a', { labels: { disk: 'ssd' } }),
    run: true,
  },
  {
    name: 'untolerated NoSchedule taint',
    d: ds(),
    n: node('a', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] }),
    run: false,
  },
  {
    name: 'tolerated taint',
    d: ds({ tolerations: [{ key: 'gpu', operator: 'Exists' }] }),
    n: node('a', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] }),
    run: true,
  },
  {
    name: 'PreferNoSchedule never blocks',
    d: ds(),
    n: node('a', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] }),
    run: true,
  },
  {
    name: 'cordoned and not-ready nodes still run daemons (added tolerations)',
    d: ds(),
    n: node('a', {
      unschedulable: true,
      taints: [
        { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' },
      ],
    }),
    run: true,
  },
  {
    name: 'required node affinity',
    d: ds({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }],
          },
        },
      },
    }),
    n: node('a', { labels: { zone: 'z2' } }),
    run: false,
  },
])('$name', ({ d, n, run }) => {
  expect(shouldRun(d, n)).toBe(run)
})

const pod = (name: string, nodeName: string, hash: string, ready = true) => ({
  metadata: { name, labels: { 'controller-revision-hash': hash }, creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: pinToNode({ containers: [] }, nodeName),
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
})

test('pods go to every eligible node; a node that joins later gets one; pinning uses metadata.name affinity', () => {
  const p = planDaemonSet(ds(), [node('a'), node('b')], [pod('x', 'a', 'h1')], 'h1', Date.now())
  expect(p.createOn).toEqual(['b'])
  expect(p.status).toMatchObject({
    desiredNumberScheduled: 2,
    currentNumberScheduled: 1,
    numberReady: 1,
    updatedNumberScheduled: 1,
  })
  expect(targetNode(pod('y', 'b', 'h1'))).toBe('b')
  expect(pinToNode({}, 'b').tolerations.map((t: any) => t.key)).toContain('node.kubernetes.io/unreachable')
})

test('rolling update replaces old pods within maxUnavailable (1), unavailable ones at once', () => {
  const nodes = [node('a'), node('b'), node('c')]
  const pods = [pod('pa', 'a', 'old'), pod('pb', 'b', 'old'), pod('pc', 'c', 'old', false)]
  const p = planDaemonSet(ds(), nodes, pods, 'new', Date.now())
  // pc is unavailable already (1 of maxUnavailable 1): it goes, and no available one may
  expect(p.delete.map((x: any) => x.metadata.name)).toEqual(['pc'])
})

test('an unreachable node keeps its daemon pod (NoSchedule stops new ones only); an untolerated NoExecute removes it', () => {
  const unreachable = node('a', {
    taints: [
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
    ],
  })
  const kept = planDaemonSet(ds(), [unreachable], [pod('x', 'a', 'h1')], 'h1', Date.now())
  expect(kept.delete).toEqual([])
  expect(kept.createOn).toEqual([])
  expect(kept.status).toMatchObject({ desiredNumberScheduled: 0, numberMisscheduled: 1 })
  expect(planDaemonSet(ds(), [unreachable], [], 'h1', Date.now()).createOn).toEqual([])
  const evicting = node('a', { taints: [{ key: 'dedicated', value: 'x', effect: 'NoExecute' }] })
  const gone = planDaemonSet(ds(), [evicting], [pod('x', 'a', 'h1')], 'h1', Date.now())
  expect(gone.delete.map((p: any) => p.metadata.name)).toEqual(['x'])
})
