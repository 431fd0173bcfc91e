// NodeInfo bookkeeping: adding and removing a pod keeps the aggregates the filters read in step.
import { nodeAllocatable, nonZeroRequests, podRequests } from './resources.ts'
import type { Node, NodeInfo, Pod, Resources } from './types.ts'
import { zeroResources } from './types.ts'

export function newNodeInfo(node: Node, pods: Pod[] = []): NodeInfo {
  const info: NodeInfo = {
    node,
    pods: new Map(),
    allocatable: nodeAllocatable(node),
    requested: zeroResources(),
    nonZeroRequested: { cpu: 0, memory: 0 },
    usedPorts: new Set(),
  }
  for (const p of pods) addPod(info, p)
  return info
}

export function hostPorts(pod: Pod): string[] {
  const out: string[] = []
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])])
    for (const p of c.ports ?? [])
      if (p.hostPort) out.push(`${p.protocol ?? 'TCP'}/${p.hostIP || '0.0.0.0'}/${p.hostPort}`)
  return out
}

function apply(into: Resources, r: Resources, sign: 1 | -1): void {
  into.cpu += sign * r.cpu
  into.memory += sign * r.memory
  into.pods += sign * r.pods
  into.ephemeralStorage += sign * r.ephemeralStorage
  for (const [k, v] of Object.entries(r.scalar ?? {}))
    into.scalar = { ...into.scalar, [k]: (into.scalar?.[k] ?? 0) + sign * v }
}

export function addPod(info: NodeInfo, pod: Pod): void {
  const uid = pod.metadata?.uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`
  if (info.pods.has(uid)) removePod(info, uid)
  info.pods.set(uid, pod)
  apply(info.requested, podRequests(pod), 1)
  const nz = nonZeroRequests(pod)
  info.nonZeroRequested.cpu += nz.cpu
  info.nonZeroRequested.memory += nz.memory
  for (const p of hostPorts(pod)) info.usedPorts.add(p)
}

export function removePod(info: NodeInfo, uid: string): void {
  const pod = info.pods.get(uid)
  if (!pod) return
  info.pods.delete(uid)
  apply(info.requested, podRequests(pod), -1)
  const nz = nonZeroRequests(pod)
  info.nonZeroRequested.cpu -= nz.cpu
  info.nonZeroRequested.memory -= nz.memory
  info.usedPorts.clear()
  for (const p of info.pods.values()) for (const hp of hostPorts(p)) info.usedPorts.add(hp)
}

/** A copy whose pods can be removed without touching the original (preemption's what-if). */
export function cloneNodeInfo(info: NodeInfo): NodeInfo {
  return newNodeInfo(info.node, [...info.pods.values()])
}
