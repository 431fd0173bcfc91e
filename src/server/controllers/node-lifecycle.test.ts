// Node IPAM and node lifecycle over a real in-memory API: CIDRs per node, a silent node going
// Unknown + unreachable taints, taint-based eviction, and the node coming back.
import { afterEach, describe, expect, test } from 'bun:test'
import { type RunningControllers, startControllers } from './index.ts'
import { type ApiEnv, eventually, openApiEnv } from './lib/api-env.test-helper.ts'
import { R } from './lib/resources.ts'
import { UNREACHABLE } from './node-lifecycle-taints.ts'

let env: ApiEnv | undefined
let cm: RunningControllers | undefined
afterEach(async () => {
  await cm?.stop()
  await env?.close()
})

async function open(only: string[]) {
  env = await openApiEnv()
  cm = startControllers({
    client: env.client,
    resources: () => env!.registry.all(),
    leaderElection: false,
    timings: { baseDelayMs: 5, maxDelayMs: 100 },
    only,
    clusterCidr: '10.42.0.0/16',
    nodeMonitorGracePeriodMs: 300,
  })
  await cm.started
  return env.client
}

const micro = () => new Date().toISOString().replace(/Z$/, '000Z')
const readyNode = (name: string) => ({
  metadata: { name },
  status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: new Date().toISOString() }] },
})
const leases = { ...R.leases, namespace: 'kube-node-lease' }
const pods = { ...R.pods, namespace: 'default' }
const boundPod = (name: string, tolerations?: unknown[]) => ({
  metadata: { name },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }], ...(tolerations ? { tolerations } : {}) },
})

describe('node IPAM', () => {
  test('every node gets its own /24', async () => {
    const client = await open(['nodeipam'])
    for (const n of ['n1', 'n2', 'n3']) await client.create(R.nodes, readyNode(n))
    const cidrs = await eventually('all nodes have a podCIDR', async () => {
      const { items } = await client.list<any>(R.nodes)
      const c = items.map((n) => n.spec?.podCIDR)
      return c.every(Boolean) && c
    })
    expect(new Set(cidrs).size).toBe(3)
    const n1 = await client.get<any>(R.nodes, 'n1')
    expect(n1.spec.podCIDRs).toEqual([n1.spec.podCIDR])
  })
})

describe('node lifecycle', () => {
  test('a silent node goes Unknown and tainted; pods leave per toleration; back → taints removed', async () => {
    const client = await open(['nodelifecycle'])
    await client.create(R.nodes, readyNode('n1'))
    await client.create(leases, { metadata: { name: 'n1' }, spec: { holderIdentity: 'n1', renewTime: micro() } })
    // every pod gets DefaultTolerationSeconds from admission, so "no toleration" is tolerationSeconds 0 here
    await client.create(
      pods,
      boundPod('intolerant', [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }]),
    )
    await client.create(
      pods,
      boundPod('patient', [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 1 }]),
    )
    await client.create(pods, boundPod('forever', [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute' }]))
    const node = await eventually('node Unknown', async () => {
      const n = await client.get<any>(R.nodes, 'n1')
      return (
        n.status.conditions.find((c: any) => c.type === 'Ready').status === 'Unknown' &&
        n.spec.taints?.length === 2 &&
        n
      )
    })
    expect(node.status.conditions.find((c: any) => c.type === 'Ready').message).toBe(
      'Kubelet stopped posting node status.',
    )
    const gone = async (name: string) => {
      const p = await client.get<any>(pods, name).catch(() => undefined)
      return !p || !!p.metadata.deletionTimestamp
    }
    await eventually('intolerant pod evicted', () => gone('intolerant'), 2000)
    expect(await gone('patient')).toBe(false)
    await eventually('patient pod evicted after 1 s', () => gone('patient'), 3000)
    expect(await gone('forever')).toBe(false)
    // the kubelet is back: fresh lease and Ready=True
    const lease = await client.get<any>(leases, 'n1')
    await client.update(leases, { ...lease, spec: { ...lease.spec, renewTime: micro() } })
    await client.patch(
      R.nodes,
      'n1',
      'strategic',
      { status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: new Date().toISOString() }] } },
      { subresource: 'status' },
    )
    await eventually('taints removed', async () => !(await client.get<any>(R.nodes, 'n1')).spec.taints?.length, 2000)
    const { items } = await client.list<any>({ ...R.events, namespace: 'default' })
    const registered = items.filter((e) => e.reason === 'RegisteredNode')
    expect(registered.map((e) => [e.involvedObject.name, e.message, e.count])).toEqual([
      ['n1', 'Node n1 event: Registered Node n1 in Controller', 1],
    ])
  })
})
