import { afterEach, expect, test } from 'bun:test'
import { setPodPhase } from './kubelet-emulation.test-helper.ts'
import { eventually } from './lib/api-env.test-helper.ts'
import { R } from './lib/resources.ts'
import { type ControllerEnv, ns, openControllerEnv } from './workloads.test-helper.ts'

let env: ControllerEnv | undefined
afterEach(async () => {
  await env?.close()
  env = undefined
})

const job = (spec: Record<string, unknown>) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi' },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, ...spec },
})
const activePods = async () =>
  (await env!.client.list<any>(ns(R.pods))).items.filter(
    (p) => p.status?.phase === 'Pending' && !p.metadata.deletionTimestamp,
  )

test('completions=3 parallelism=2 runs two pods at a time and completes once three succeed', async () => {
  env = await openControllerEnv(['job'])
  const c = env.client
  await c.create(ns(R.jobs), job({ completions: 3, parallelism: 2 }))
  const done = new Set<string>()
  while (done.size < 3) {
    const pods = await eventually('pending pods', async () => {
      const a = (await activePods()).filter((p) => !done.has(p.metadata.name))
      return a.length > 0 && a
    })
    expect(pods.length).toBeLessThanOrEqual(2)
    expect(pods[0].metadata.finalizers).toContain('batch.kubernetes.io/job-tracking')
    await setPodPhase(c, 'default', pods[0].metadata.name, 'Succeeded')
    done.add(pods[0].metadata.name)
  }
  const j = await eventually('Complete', async () => {
    const j = await c.get<any>(ns(R.jobs), 'pi')
    return j.status?.conditions?.some((x: any) => x.type === 'Complete' && x.status === 'True') && j
  })
  expect(j.status.succeeded).toBe(3)
  expect(j.status.completionTime).toBeDefined()
  expect(j.status.conditions.map((x: any) => x.type)).toEqual(['SuccessCriteriaMet', 'Complete'])
  const pods = (await c.list<any>(ns(R.pods))).items
  expect(pods).toHaveLength(3)
  expect(pods.every((p) => !(p.metadata.finalizers ?? []).includes('batch.kubernetes.io/job-tracking'))).toBe(true)
})

test('Indexed pods carry their completion index and hostname', async () => {
  env = await openControllerEnv(['job'])
  const c = env.client
  await c.create(ns(R.jobs), job({ completions: 2, parallelism: 2, completionMode: 'Indexed' }))
  const pods = await eventually('2 pods', async () => {
    const a = await activePods()
    return a.length === 2 && a
  })
  const byIndex = pods
    .map((p: any) => [p.metadata.annotations['batch.kubernetes.io/job-completion-index'], p.spec.hostname])
    .sort()
  expect(byIndex).toEqual([
    ['0', 'pi-0'],
    ['1', 'pi-1'],
  ])
})

test('failures beyond backoffLimit fail the Job with BackoffLimitExceeded', async () => {
  env = await openControllerEnv(['job'])
  const c = env.client
  await c.create(ns(R.jobs), job({ backoffLimit: 0 }))
  const [p] = await eventually('a pod', async () => {
    const a = await activePods()
    return a.length === 1 && a
  })
  await setPodPhase(c, 'default', p.metadata.name, 'Failed')
  const j = await eventually('Failed', async () => {
    const j = await c.get<any>(ns(R.jobs), 'pi')
    return j.status?.conditions?.some((x: any) => x.type === 'Failed' && x.status === 'True') && j
  })
  expect(j.status.conditions.find((x: any) => x.type === 'Failed').reason).toBe('BackoffLimitExceeded')
  expect(j.status.failed).toBe(1)
})

test('deleting a running Job releases its pods: none stays Terminating on the tracking finalizer', async () => {
  env = await openControllerEnv(['job', 'garbagecollector'])
  const c = env.client
  await c.create(ns(R.jobs), job({ completions: 2, parallelism: 2 }))
  await eventually('2 pods', async () => (await activePods()).length === 2)
  await c.delete(ns(R.jobs), 'pi', { propagationPolicy: 'Background' })
  await eventually('pods gone', async () => (await c.list<any>(ns(R.pods))).items.length === 0)
})
