// Builders for scheduler tests: compact nodes, pods and cluster views.
import { newNodeInfo } from './node-info.ts'
import type { ClusterView, Node, NodeInfo, Pod } from './types.ts'

export function node(
  name: string,
  o: {
    cpu?: string
    memory?: string
    pods?: number
    labels?: Record<string, string>
    taints?: any[]
    unschedulable?: boolean
    ready?: string
  } = {},
): Node {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: { ...(o.taints && { taints: o.taints }), ...(o.unschedulable && { unschedulable: true }) },
    status: {
      allocatable: { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: String(o.pods ?? 110) },
      conditions: [{ type: 'Ready', status: o.ready ?? 'True' }],
    },
  } as Node
}

let seq = 0
export function pod(
  name: string,
  spec: Record<string, any> = {},
  o: { labels?: Record<string, string>; cpu?: string; memory?: string; ns?: string } = {},
): Pod {
  const requests = { ...(o.cpu && { cpu: o.cpu }), ...(o.memory && { memory: o.memory }) }
  return {
    metadata: { name, namespace: o.ns ?? 'default', uid: `uid-${name}-${++seq}`, labels: o.labels },
    spec: { containers: [{ name: 'c', image: 'x', resources: { requests } }], ...spec },
  } as Pod
}

export function view(nodes: NodeInfo[], extra: Partial<ClusterView> = {}): ClusterView {
  const podsWithAffinity = nodes.flatMap((n) =>
    [...n.pods.values()]
      .filter((p) => p.spec?.affinity?.podAffinity || p.spec?.affinity?.podAntiAffinity)
      .map((p) => ({ pod: p, node: n })),
  )
  return { nodes, podsWithAffinity, ...extra }
}

export const info = (n: Node, pods: Pod[] = []) => newNodeInfo(n, pods)
