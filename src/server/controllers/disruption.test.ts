import { afterEach, expect, test } from 'bun:test'
import { planBudget } from './disruption.ts'
import { setPodPhase } from './kubelet-emulation.test-helper.ts'
import { eventually } from './lib/api-env.test-helper.ts'
import { R } from './lib/resources.ts'
import { type ControllerEnv, ns, openControllerEnv } from './workloads.test-helper.ts'

const now = Date.parse('2026-01-01T00:00:00Z')
const pod = (name: string, ready: boolean) => ({
  metadata: { name, labels: { app: 'web' } },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
})
const pdb = (spec: Record<string, unknown>) => ({
  metadata: { name: 'b', generation: 1 },
  spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
})

test.each([
  { name: 'minAvailable 2 of 3 healthy', spec: { minAvailable: 2 }, ready: 3, expected: undefined, want: [1, 3, 2, 3] },
  {
    name: 'minAvailable 2 with 2 healthy',
    spec: { minAvailable: 2 },
    ready: 2,
    expected: undefined,
    want: [0, 2, 2, 3],
  },
  {
    name: 'maxUnavailable 1 of the controller replicas (4)',
    spec: { maxUnavailable: 1 },
    ready: 3,
    expected: 4,
    want: [0, 3, 3, 4],
  },
  { name: 'minAvailable 50% rounds up', spec: { minAvailable: '50%' }, ready: 3, expected: 3, want: [1, 3, 2, 3] },
])('$name', ({ spec, ready, expected, want }) => {
  const pods = [pod('a', ready >= 1), pod('b', ready >= 2), pod('c', ready >= 3)]
  const s = planBudget({ pdb: pdb(spec), pods, expectedFromControllers: expected, now })
  expect([s.disruptionsAllowed, s.currentHealthy, s.desiredHealthy, s.expectedPods]).toEqual([...want])
  expect(s.conditions[0].reason).toBe(s.disruptionsAllowed > 0 ? 'SufficientPods' : 'InsufficientPods')
})

let env: ControllerEnv | undefined
afterEach(async () => {
  await env?.close()
  env = undefined
})

test('evictions beyond the budget get 429 with the upstream message', async () => {
  env = await openControllerEnv(['disruption'])
  const c = env.client
  for (const n of ['a', 'b']) {
    await c.create(ns(R.pods), {
      metadata: { name: n, labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    })
    await setPodPhase(c, 'default', n, 'Running')
  }
  await c.create(ns(R.pdbs), {
    metadata: { name: 'web' },
    spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
  })
  await eventually('budget', async () => (await c.get<any>(ns(R.pdbs), 'web')).status?.disruptionsAllowed === 1)
  await c.createSubresource(ns(R.pods), 'a', 'eviction', {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: 'a' },
  })
  await expect(
    c.createSubresource(ns(R.pods), 'b', 'eviction', {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'b' },
    }),
  ).rejects.toMatchObject({ code: 429, message: "Cannot evict pod as it would violate the pod's disruption budget." })
})
