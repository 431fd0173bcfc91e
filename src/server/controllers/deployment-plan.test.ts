import { expect, test } from 'bun:test'
import { planDeployment, templateHash } from './deployment-plan.ts'

const now = Date.parse('2026-01-01T01:00:00Z')
const tpl = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } })
const dep = (
  o: { replicas?: number; image?: string; strategy?: any; paused?: boolean; status?: any; limit?: number } = {},
) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'd1', generation: 2, annotations: {} as Record<string, string> },
  spec: {
    replicas: o.replicas ?? 4,
    selector: { matchLabels: { app: 'web' } },
    template: tpl(o.image ?? 'v2'),
    strategy: o.strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    paused: o.paused,
    revisionHistoryLimit: o.limit,
  },
  status: o.status ?? {},
})
let seq = 0
const rs = (image: string, replicas: number, available: number, revision: number, desired = 4): any => {
  const d = dep({ image })
  const hash = templateHash(d)
  return {
    metadata: {
      name: `web-${hash}`,
      uid: `rs-${image}`,
      creationTimestamp: `2026-01-01T00:0${seq++ % 10}:00Z`,
      annotations: {
        'deployment.kubernetes.io/revision': String(revision),
        'deployment.kubernetes.io/desired-replicas': String(desired),
        'deployment.kubernetes.io/max-replicas': String(desired + 1),
      },
      labels: { app: 'web', 'pod-template-hash': hash },
    },
    spec: { replicas, template: { ...tpl(image), metadata: { labels: { app: 'web', 'pod-template-hash': hash } } } },
    status: { replicas, availableReplicas: available, readyReplicas: available },
  }
}
const sizes = (p: ReturnType<typeof planDeployment>) =>
  Object.fromEntries(
    [...(p.create ? [p.create] : []), ...p.update].map((r) => [
      r.spec.template.spec.containers[0].image,
      r.spec.replicas,
    ]),
  )

test.each([
  {
    name: 'a fresh Deployment creates its ReplicaSet at full size (revision 1)',
    d: dep(),
    rss: [] as any[],
    want: { v2: 4 },
    events: ['Scaled up replica set web-HASH from 0 to 4'],
  },
  {
    name: 'a new template surges by maxSurge (25% of 4 rounds up to 1)',
    d: dep(),
    rss: [rs('v1', 4, 4, 1)],
    want: { v2: 1 },
    events: ['Scaled up replica set web-HASH from 0 to 1'],
  },
  {
    name: 'at the surge limit, old replicas go down within maxUnavailable',
    d: dep(),
    rss: [rs('v1', 4, 4, 1), rs('v2', 1, 0, 2)],
    want: { v1: 3 },
    events: ['Scaled down replica set web-HASH from 4 to 3'],
  },
  {
    name: 'unavailable old replicas go first, as far as the new unavailable ones allow',
    d: dep(),
    rss: [rs('v1', 4, 2, 1), rs('v2', 1, 0, 2)],
    want: { v1: 3 },
    events: ['Scaled down replica set web-HASH from 4 to 3'],
  },
  {
    name: 'Recreate scales old ReplicaSets to zero before anything new exists',
    d: dep({ strategy: { type: 'Recreate' } }),
    rss: [rs('v1', 4, 4, 1)],
    want: { v1: 0 },
    events: ['Scaled down replica set web-HASH from 4 to 0'],
  },
  {
    name: 'a replicas change mid-rollout is spread proportionally',
    d: dep({ replicas: 8 }),
    rss: [rs('v1', 3, 3, 1), rs('v2', 2, 2, 2)],
    want: { v1: 6, v2: 4 },
    events: ['Scaled up replica set web-HASH from 3 to 6', 'Scaled up replica set web-HASH from 2 to 4'],
  },
])('$name', ({ d, rss, want, events }) => {
  const p = planDeployment(d, [...rss], [], now)
  const got = sizes(p)
  for (const [k, v] of Object.entries(want)) expect(got[k]).toBe(v as number)
  expect(p.events.map((e) => e.message.replace(/web-\w+/, 'web-HASH'))).toEqual([...events])
})

test('a new ReplicaSet takes the next revision; rollout undo makes an old one the newest with its history', () => {
  const p: any = planDeployment(dep(), [rs('v1', 4, 4, 3)], [], now)
  expect(p.create?.metadata.annotations['deployment.kubernetes.io/revision']).toBe('4')
  expect(p.revision).toBe('4')
  const undo: any = planDeployment(dep({ image: 'v1' }), [rs('v1', 0, 0, 1), rs('v2', 4, 4, 2)], [], now)
  const back = undo.update.find((r: any) => r.spec.template.spec.containers[0].image === 'v1')!
  expect(back.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3')
  expect(back.metadata.annotations['deployment.kubernetes.io/revision-history']).toBe('1')
  expect(undo.revision).toBe('3')
})

test('complete rollouts report NewReplicaSetAvailable and prune history beyond the limit', () => {
  const cur = rs('v2', 4, 4, 3)
  const p = planDeployment(dep({ limit: 1 }), [rs('v0', 0, 0, 1), rs('v1', 0, 0, 2), cur], [], now)
  expect(p.delete.map((r) => r.spec.template.spec.containers[0].image)).toEqual(['v0'])
  const progressing = p.status.conditions.find((c: any) => c.type === 'Progressing')
  expect(progressing).toMatchObject({
    status: 'True',
    reason: 'NewReplicaSetAvailable',
    message: `ReplicaSet "${cur.metadata.name}" has successfully progressed.`,
  })
  expect(p.status).toMatchObject({
    replicas: 4,
    updatedReplicas: 4,
    availableReplicas: 4,
    unavailableReplicas: 0,
    observedGeneration: 2,
  })
})

test('no progress past progressDeadlineSeconds is ProgressDeadlineExceeded; paused reports DeploymentPaused', () => {
  const stuck = {
    conditions: [
      {
        type: 'Progressing',
        status: 'True',
        reason: 'ReplicaSetUpdated',
        message: 'x',
        lastUpdateTime: '2026-01-01T00:00:00Z',
        lastTransitionTime: '2026-01-01T00:00:00Z',
      },
    ],
    replicas: 4,
    updatedReplicas: 1,
    readyReplicas: 3,
    availableReplicas: 3,
  }
  const d = { ...dep({ status: stuck }), spec: { ...dep().spec, progressDeadlineSeconds: 600 } }
  const p = planDeployment(d, [rs('v1', 3, 3, 1), rs('v2', 1, 0, 2)], [], now)
  expect(p.status.conditions.find((c: any) => c.type === 'Progressing')).toMatchObject({
    status: 'False',
    reason: 'ProgressDeadlineExceeded',
  })
  const paused = planDeployment(dep({ paused: true }), [rs('v1', 4, 4, 1)], [], now)
  expect(paused.create).toBeUndefined()
  expect(paused.status.conditions.find((c: any) => c.type === 'Progressing')).toMatchObject({
    status: 'Unknown',
    reason: 'DeploymentPaused',
  })
})
