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

const deployment = (image: string, replicas = 3) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } },
  },
})

test('a Deployment gets a ReplicaSet with a hash label and revision 1, which gets its pods', async () => {
  env = await openControllerEnv(['deployment', 'replicaset'])
  const c = env.client
  await c.create(ns(R.deployments), deployment('nginx:1'))
  const rs = await eventually('one ReplicaSet', async () => {
    const l = await c.list<any>(ns(R.replicasets))
    return l.items.length === 1 && l.items[0]
  })
  const hash = rs.metadata.labels['pod-template-hash']
  expect(rs.metadata.name).toBe(`web-${hash}`)
  expect(rs.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1')
  expect(rs.spec.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash })
  const pods: any = await eventually('3 pods', async () => {
    const l = await c.list<any>(ns(R.pods))
    return l.items.length === 3 && l.items
  })
  expect(pods[0].metadata.ownerReferences[0]).toMatchObject({
    kind: 'ReplicaSet',
    name: rs.metadata.name,
    controller: true,
    blockOwnerDeletion: true,
  })
  const d = await eventually('status', async () => {
    const d = await c.get<any>(ns(R.deployments), 'web')
    return d.status?.replicas === 3 && d
  })
  expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1')
  expect(d.status.conditions.find((x: any) => x.type === 'Available')).toMatchObject({
    status: 'False',
    reason: 'MinimumReplicasUnavailable',
  })
})

test('Recreate: the old pods are gone before the new ReplicaSet gets any', async () => {
  env = await openControllerEnv(['deployment', 'replicaset'])
  const c = env.client
  const stop = finishDeletions(c)
  const d = { ...deployment('nginx:1', 2), spec: { ...deployment('nginx:1', 2).spec, strategy: { type: 'Recreate' } } }
  await c.create(ns(R.deployments), d)
  const first = await eventually('2 pods', async () => {
    const l = await c.list<any>(ns(R.pods))
    return l.items.length === 2 && l.items
  })
  for (const p of first) await setPodPhase(c, 'default', p.metadata.name, 'Running')
  await c.patch(ns(R.deployments), 'web', 'merge', {
    spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } },
  })
  const live = new Map<string, string>()
  let overlapped = false
  const w = c.watch<any>(ns(R.pods), { resourceVersion: '0' }, (e) => {
    if (e.type === 'DELETED') live.delete(e.object.metadata.name)
    else live.set(e.object.metadata.name, e.object.spec.containers[0].image)
    if (new Set(live.values()).size > 1) overlapped = true
  })
  await eventually('2 new pods only', async () => {
    const l = await c.list<any>(ns(R.pods))
    return l.items.length === 2 && l.items.every((p) => p.spec.containers[0].image === 'nginx:2')
  })
  w.stop()
  stop()
  // never both images at once: the old pods went first
  expect(overlapped).toBe(false)
  const rs = (await c.list<any>(ns(R.replicasets))).items
  expect(rs.map((r) => r.spec.replicas).sort()).toEqual([0, 2])
})

test('a ReplicationController keeps its pods', async () => {
  env = await openControllerEnv(['replicationcontroller'])
  const c = env.client
  await c.create(ns(R.replicationcontrollers), {
    metadata: { name: 'rc' },
    spec: {
      replicas: 2,
      selector: { app: 'rc' },
      template: { metadata: { labels: { app: 'rc' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
    },
  })
  const pods = await eventually('2 pods', async () => {
    const l = await c.list<any>(ns(R.pods))
    return l.items.length === 2 && l.items
  })
  expect(pods[0].metadata.ownerReferences[0]).toMatchObject({
    apiVersion: 'v1',
    kind: 'ReplicationController',
    name: 'rc',
  })
  await c.delete(ns(R.pods), pods[0].metadata.name)
  await eventually('replaced', async () => {
    const l = await c.list<any>(ns(R.pods))
    return l.items.length === 2 && !l.items.some((p) => p.metadata.name === pods[0].metadata.name)
  })
})
