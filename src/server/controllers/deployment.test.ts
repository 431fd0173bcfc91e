import { afterEach, expect, test } from 'bun:test'
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
