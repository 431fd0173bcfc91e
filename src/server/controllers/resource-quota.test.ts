import { afterEach, expect, test } from 'bun:test'
import { eventually } from './lib/api-env.test-helper.ts'
import { R } from './lib/resources.ts'
import { formatQuantity } from './resource-quota.ts'
import { type ControllerEnv, ns, openControllerEnv } from './workloads.test-helper.ts'

test.each([
  ['requests.cpu', 0.5, '500m'],
  ['limits.cpu', 2, '2'],
  ['requests.memory', 256 * 2 ** 20, '256Mi'],
  ['pods', 3, '3'],
] as const)('%s %p is %s', (name, v, want) => {
  expect(formatQuantity(name, v)).toBe(want)
})

let env: ControllerEnv | undefined
afterEach(async () => {
  await env?.close()
  env = undefined
})

test('status.used counts pods, their requests and other objects', async () => {
  env = await openControllerEnv(['resourcequota'])
  const c = env.client
  for (const n of ['a', 'b'])
    await c.create(ns(R.pods), {
      metadata: { name: n },
      spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '250m', memory: '64Mi' } } }] },
    })
  await c.create(ns(R.configmaps), { metadata: { name: 'x' } })
  await c.create(ns(R.resourcequotas), {
    metadata: { name: 'q' },
    spec: {
      hard: {
        pods: '10',
        'requests.cpu': '2',
        'requests.memory': '1Gi',
        configmaps: '5',
        'count/deployments.apps': '3',
      },
    },
  })
  const q = await eventually('used', async () => (await c.get<any>(ns(R.resourcequotas), 'q')).status?.used)
  expect(q).toEqual({
    pods: '2',
    'requests.cpu': '500m',
    'requests.memory': '128Mi',
    configmaps: '1',
    'count/deployments.apps': '0',
  })
})
