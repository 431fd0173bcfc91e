import { afterEach, expect, test } from 'bun:test'
import { finishDeletions, setPodPhase } from './kubelet-emulation.test-helper.ts'
import { eventually } from './lib/api-env.test-helper.ts'
import { R } from './lib/resources.ts'
import { type ControllerEnv, ns, openControllerEnv } from './workloads.test-helper.ts'

let env: ControllerEnv | undefined
afterEach(async () => {
  await env?.close()
  env = undefined
})

const set = (image: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web' },
  spec: {
    replicas: 3,
    serviceName: 'web',
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } },
    volumeClaimTemplates: [
      {
        metadata: { name: 'www' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    ],
    ...extra,
  },
})
const podNames = async () => (await env!.client.list<any>(ns(R.pods))).items.map((p) => p.metadata.name).sort()

test('OrderedReady creates web-0, waits for it to be Ready, then web-1 and web-2, each with its claim', async () => {
  env = await openControllerEnv(['statefulset'])
  const c = env.client
  await c.create(ns(R.statefulsets), set('nginx:1'))
  await eventually('web-0', async () => (await podNames()).join() === 'web-0')
  await Bun.sleep(50)
  expect(await podNames()).toEqual(['web-0'])
  const p0 = await c.get<any>(ns(R.pods), 'web-0')
  expect(p0.metadata.labels['statefulset.kubernetes.io/pod-name']).toBe('web-0')
  expect(p0.metadata.labels['apps.kubernetes.io/pod-index']).toBe('0')
  expect(p0.spec.hostname).toBe('web-0')
  expect(p0.spec.subdomain).toBe('web')
  expect(p0.spec.volumes.find((v: any) => v.name === 'www').persistentVolumeClaim.claimName).toBe('www-web-0')
  await setPodPhase(c, 'default', 'web-0', 'Running')
  await eventually('web-1', async () => (await podNames()).join() === 'web-0,web-1')
  await setPodPhase(c, 'default', 'web-1', 'Running')
  await eventually('web-2', async () => (await podNames()).join() === 'web-0,web-1,web-2')
  await setPodPhase(c, 'default', 'web-2', 'Running')
  const claims = (await c.list<any>(ns(R.pvcs))).items.map((p) => p.metadata.name).sort()
  expect(claims).toEqual(['www-web-0', 'www-web-1', 'www-web-2'])
  const s = await eventually('status', async () => {
    const s = await c.get<any>(ns(R.statefulsets), 'web')
    return s.status?.readyReplicas === 3 && s
  })
  expect(s.status.currentRevision).toBe(s.status.updateRevision)
  const crs = (await c.list<any>(ns(R.controllerrevisions))).items
  expect(crs.map((r) => r.metadata.name)).toEqual([s.status.updateRevision])
  expect(p0.metadata.labels['controller-revision-hash']).toBe(s.status.updateRevision)
})

test('RollingUpdate with a partition replaces only ordinals at or above it, highest first', async () => {
  env = await openControllerEnv(['statefulset'])
  const c = env.client
  const stop = finishDeletions(c)
  await c.create(
    ns(R.statefulsets),
    set('nginx:1', {
      podManagementPolicy: 'Parallel',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } },
    }),
  )
  await eventually('3 pods', async () => (await podNames()).length === 3)
  for (const n of ['web-0', 'web-1', 'web-2']) await setPodPhase(c, 'default', n, 'Running')
  const before = await c.get<any>(ns(R.pods), 'web-0')
  await c.patch(ns(R.statefulsets), 'web', 'merge', {
    spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } },
  })
  const s = await eventually('new revision', async () => {
    const s = await c.get<any>(ns(R.statefulsets), 'web')
    return s.status?.updateRevision !== s.status?.currentRevision && s
  })
  const updated = async (n: string) => {
    const p = await c.get<any>(ns(R.pods), n).catch(() => undefined)
    return p?.metadata.labels['controller-revision-hash'] === s.status.updateRevision ? p : undefined
  }
  await eventually('web-2 updated', () => updated('web-2'))
  await setPodPhase(c, 'default', 'web-2', 'Running')
  await eventually('web-1 updated', () => updated('web-1'))
  await setPodPhase(c, 'default', 'web-1', 'Running')
  await Bun.sleep(50)
  const after = await c.get<any>(ns(R.pods), 'web-0')
  expect(after.metadata.uid).toBe(before.metadata.uid)
  expect(after.spec.containers[0].image).toBe('nginx:1')
  expect((await c.get<any>(ns(R.pods), 'web-2')).spec.containers[0].image).toBe('nginx:2')
  stop()
})
