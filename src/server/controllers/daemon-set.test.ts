import { afterEach, expect, test } from 'bun:test'
import { targetNode } from './daemon-set-plan.ts'
import { eventually } from './lib/api-env.test-helper.ts'
import { R } from './lib/resources.ts'
import { type ControllerEnv, ns, openControllerEnv } from './workloads.test-helper.ts'

let env: ControllerEnv | undefined
afterEach(async () => {
  await env?.close()
  env = undefined
})

const node = (name: string, labels: Record<string, string> = {}) => ({ metadata: { name, labels } })

test('one pod per eligible node, including a node that joins later', async () => {
  env = await openControllerEnv(['daemonset'])
  const c = env.client
  await c.create(R.nodes, node('n1', { role: 'edge' }))
  await c.create(R.nodes, node('n2'))
  await c.create(ns(R.daemonsets), {
    metadata: { name: 'agent' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { nodeSelector: { role: 'edge' }, containers: [{ name: 'c', image: 'x' }] },
      },
    },
  })
  const nodesOfPods = async () => (await c.list<any>(ns(R.pods))).items.map((p) => targetNode(p)).sort()
  await eventually('pod on n1', async () => (await nodesOfPods()).join() === 'n1')
  await c.create(R.nodes, node('n3', { role: 'edge' }))
  await eventually('pod on n3 too', async () => (await nodesOfPods()).join() === 'n1,n3')
  const ds = await eventually('status', async () => {
    const d = await c.get<any>(ns(R.daemonsets), 'agent')
    return d.status?.desiredNumberScheduled === 2 && d.status.currentNumberScheduled === 2 && d
  })
  expect(ds.status.numberMisscheduled).toBe(0)
  const [pod] = (await c.list<any>(ns(R.pods))).items
  expect(pod.spec.tolerations.map((t: any) => t.key)).toContain('node.kubernetes.io/unschedulable')
  expect(pod.metadata.labels['controller-revision-hash']).toBeTruthy()
})
