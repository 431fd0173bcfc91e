// The scheduler against a real in-process API: pods get bound, unfit pods get PodScheduled=False and a
// FailedScheduling event, and become schedulable when a fitting node arrives.
import { afterEach, describe, expect, test } from 'bun:test'
import { type ApiEnv, eventually, openApiEnv } from '../controllers/lib/api-env.test-helper.ts'
import { InformerFactory } from '../controllers/lib/informer-factory.ts'
import { startScheduler } from './index.ts'
import type { Scheduler } from './scheduler.ts'
import { node } from './testing.ts'

const pods = { group: '', version: 'v1', resource: 'pods', namespace: 'default' }
const nodes = { group: '', version: 'v1', resource: 'nodes' }
let env: ApiEnv | undefined
let sched: Scheduler | undefined
let informers: InformerFactory | undefined

afterEach(async () => {
  await sched?.stop()
  informers?.stop()
  await env?.close()
})

const podSpec = (name: string, cpu: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu } } }], ...extra },
})

describe('scheduler', () => {
  test('binds pods, reports unschedulable ones, retries when a node joins', async () => {
    env = await openApiEnv()
    const client = env.client
    await client.create(nodes, node('n1', { cpu: '2' }))
    await client.create(
      nodes,
      node('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
    )
    informers = new InformerFactory(client)
    sched = await startScheduler({ client, informers })
    await client.create(pods, podSpec('small', '1'))
    await client.create(pods, podSpec('big', '3'))
    const small = await eventually('small bound', async () => (await client.get<any>(pods, 'small')).spec.nodeName)
    expect(small).toBe('n1')
    const cond = await eventually('big marked unschedulable', async () =>
      (await client.get<any>(pods, 'big')).status?.conditions?.find((c: any) => c.type === 'PodScheduled'),
    )
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable' })
    expect(cond.message).toBe(
      '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    )
    await eventually('FailedScheduling event', async () => {
      const { items } = await client.list<any>({ ...pods, resource: 'events' })
      return items.find((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'big')
    })
    await client.create(nodes, node('n2', { cpu: '8' }))
    expect(
      await eventually(
        'big bound after n2 joins',
        async () => (await client.get<any>(pods, 'big')).spec.nodeName,
        8000,
      ),
    ).toBe('n2')
  }, 15_000)

  test('a WaitForFirstConsumer claim learns the chosen node', async () => {
    env = await openApiEnv()
    const client = env.client
    await client.create(nodes, node('n1'))
    await client.create(
      { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' },
      { metadata: { name: 'local' }, provisioner: 'x', volumeBindingMode: 'WaitForFirstConsumer' },
    )
    const pvcs = { ...pods, resource: 'persistentvolumeclaims' }
    await client.create(pvcs, {
      metadata: { name: 'data' },
      spec: { storageClassName: 'local', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    })
    informers = new InformerFactory(client)
    sched = await startScheduler({ client, informers })
    await client.create(
      pods,
      podSpec('db', '1', { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] }),
    )
    await eventually('db bound', async () => (await client.get<any>(pods, 'db')).spec.nodeName)
    const pvc = await client.get<any>(pvcs, 'data')
    expect(pvc.metadata.annotations['volume.kubernetes.io/selected-node']).toBe('n1')
  })

  test('a higher-priority pod preempts a lower one', async () => {
    env = await openApiEnv()
    const client = env.client
    await client.create(nodes, node('n1', { cpu: '2' }))
    informers = new InformerFactory(client)
    sched = await startScheduler({ client, informers })
    await client.create(pods, podSpec('low', '2'))
    await eventually('low bound', async () => (await client.get<any>(pods, 'low')).spec.nodeName)
    await client.create(
      { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' },
      { metadata: { name: 'high' }, value: 1000 },
    )
    await client.create(pods, podSpec('urgent', '2', { priorityClassName: 'high' }))
    await eventually('low evicted', async () => {
      const p = await client.get<any>(pods, 'low').catch(() => undefined)
      return !p || p.metadata.deletionTimestamp
    })
  })

  test('a node keeps room for a higher-priority pod nominated to it (upstream addGENominatedPods)', async () => {
    env = await openApiEnv()
    const client = env.client
    await client.create(nodes, node('n1', { cpu: '2' }))
    informers = new InformerFactory(client)
    sched = await startScheduler({ client, informers })
    // a preemptor waiting for its victims to go (another scheduler's, so this one leaves it pending)
    await client.create(pods, podSpec('urgent', '2', { priority: 1000, schedulerName: 'elsewhere' }))
    await client.patch(pods, 'urgent', 'merge', { status: { nominatedNodeName: 'n1' } }, { subresource: 'status' })
    await client.create(pods, podSpec('waiting', '1'))
    const cond = await eventually('waiting unschedulable', async () =>
      (await client.get<any>(pods, 'waiting')).status?.conditions?.find((c: any) => c.type === 'PodScheduled'),
    )
    expect(cond.message).toStartWith('0/1 nodes are available: 1 Insufficient cpu.')
    expect((await client.get<any>(pods, 'waiting')).spec.nodeName).toBeUndefined()
  })
  test('a pod waiting for its claim is retried as soon as the claim binds', async () => {
    env = await openApiEnv()
    const client = env.client
    await client.create(nodes, node('n1'))
    informers = new InformerFactory(client)
    sched = await startScheduler({ client, informers })
    const pvcs = { group: '', version: 'v1', resource: 'persistentvolumeclaims', namespace: 'default' }
    const pvs = { group: '', version: 'v1', resource: 'persistentvolumes' }
    await client.create(pvcs, {
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    })
    await client.create(
      pods,
      podSpec('db', '100m', { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] }),
    )
    const cond = await eventually('db unschedulable', async () =>
      (await client.get<any>(pods, 'db')).status?.conditions?.find((c: any) => c.type === 'PodScheduled'),
    )
    expect(cond.message).toStartWith('0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims.')
    await client.create(pvs, {
      metadata: { name: 'pv' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/pv' } },
    })
    await client.patch(pvcs, 'data', 'merge', { spec: { volumeName: 'pv' } })
    expect(await eventually('db bound', async () => (await client.get<any>(pods, 'db')).spec.nodeName, 3000)).toBe('n1')
  })
  test('a preemptor waits for its victim to terminate instead of preempting on another node too', async () => {
    env = await openApiEnv()
    const client = env.client
    await client.create(nodes, node('n1', { cpu: '2' }))
    await client.create(nodes, node('n2', { cpu: '2' }))
    informers = new InformerFactory(client)
    sched = await startScheduler({ client, informers })
    for (const name of ['low1', 'low2']) {
      await client.create(pods, podSpec(name, '2'))
      await eventually(`${name} bound`, async () => (await client.get<any>(pods, name)).spec.nodeName)
    }
    await client.create(
      { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' },
      { metadata: { name: 'high' }, value: 1000 },
    )
    await client.create(pods, podSpec('urgent', '2', { priorityClassName: 'high' }))
    // bound victims terminate gracefully: with no kubelet here they stay terminating
    await eventually('urgent told to wait', async () =>
      (await client.get<any>(pods, 'urgent')).status?.conditions
        ?.find((c: any) => c.type === 'PodScheduled')
        ?.message?.endsWith('preemption: not eligible due to a terminating pod on the nominated node.'),
    )
    const terminating = []
    for (const name of ['low1', 'low2'])
      if ((await client.get<any>(pods, name)).metadata.deletionTimestamp) terminating.push(name)
    expect(terminating).toHaveLength(1)
  })
})
