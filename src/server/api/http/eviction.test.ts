// pods/eviction over HTTP goes through the store's eviction (PodDisruptionBudgets honoured): `kubectl
// drain` relies on the 429 to wait for the budget; a bare delete here let drain break every budget.
import { afterAll, expect, test } from 'bun:test'
import { type ApiEnv, openApiEnv } from '../../controllers/lib/api-env.test-helper.ts'
import { createApiHandler } from './handler.ts'

let env: ApiEnv
afterAll(() => env?.close())

test('an eviction a budget forbids is 429 and leaves the pod; one it allows deletes the pod', async () => {
  env = await openApiEnv()
  const h = createApiHandler({
    registry: env.registry,
    storage: env.storage,
    authenticate: (_req, peer) => peer.user,
    authorize: () => ({ allowed: true }),
    healthChecks: [],
  })
  const peer = { user: { name: 'system:admin', groups: ['system:masters'] } }
  const pods = { group: '', version: 'v1', resource: 'pods', namespace: 'default' }
  const pdbs = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespace: 'default' }
  await env.client.create(pods, {
    metadata: { name: 'a', labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'x' }] },
  })
  const pdb: any = await env.client.create(pdbs, {
    metadata: { name: 'web' },
    spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
  })
  // as the disruption controller would report it: the one pod is needed
  await env.client.update(
    pdbs,
    {
      ...pdb,
      status: { observedGeneration: 1, disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 },
    },
    { subresource: 'status' },
  )
  await env.client.patch(
    pods,
    'a',
    'merge',
    { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
    { subresource: 'status' },
  )
  const evict = () =>
    h(
      new Request('https://127.0.0.1:6443/api/v1/namespaces/default/pods/a/eviction', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name: 'a', namespace: 'default' },
        }),
      }),
      peer,
    )
  const refused = await evict()
  expect(refused.status).toBe(429)
  expect(((await refused.json()) as any).message).toBe(
    "Cannot evict pod as it would violate the pod's disruption budget.",
  )
  expect(((await env.client.get(pods, 'a')) as any).metadata.deletionTimestamp).toBeUndefined()

  const live: any = await env.client.get(pdbs, 'web')
  await env.client.update(
    pdbs,
    { ...live, status: { ...live.status, disruptionsAllowed: 1 } },
    { subresource: 'status' },
  )
  expect((await evict()).status).toBe(201)
  const gone = await env.client.get<any>(pods, 'a').catch((e) => e)
  expect(gone.code === 404 || !!gone.metadata?.deletionTimestamp).toBe(true)
})
