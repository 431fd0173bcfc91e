// The scheduler's own cache (upstream internal/cache): node → pods with their aggregates. A pod counts
// on its node as soon as the scheduler picks the node ("assumed"), before the binding is confirmed by
// the watch, so the next cycle already sees the capacity as taken. Terminal pods free their capacity.
import { addPod, newNodeInfo, removePod } from './node-info.ts'
import type { Node, NodeInfo, Pod } from './types.ts'

const uidOf = (p: Pod) => p.metadata?.uid ?? `${p.metadata?.namespace}/${p.metadata?.name}`
const hasPodAffinity = (p: Pod) => !!(p.spec?.affinity?.podAffinity || p.spec?.affinity?.podAntiAffinity)

export class SchedulerCache {
  private nodes = new Map<string, NodeInfo>()
  /** every counted pod by uid, with its node (also for nodes not known yet) */
  private pods = new Map<string, { pod: Pod; nodeName: string }>()
  private affinityPods = new Set<string>()
  private nodeList?: NodeInfo[]
  /** the lowest priority of any counted pod: a pod at or below it cannot preempt anything */
  minPriority = Number.POSITIVE_INFINITY

  upsertNode(node: Node): void {
    const name = node.metadata?.name ?? ''
    const old = this.nodes.get(name)
    if (old) {
      const fresh = newNodeInfo(node)
      old.node = node
      old.allocatable = fresh.allocatable
      return
    }
    const pods = [...this.pods.values()].filter((p) => p.nodeName === name).map((p) => p.pod)
    this.nodes.set(name, newNodeInfo(node, pods))
    this.nodeList = undefined
  }

  removeNode(name: string): void {
    if (this.nodes.delete(name)) this.nodeList = undefined
  }

  /** Adds or replaces a pod on its node (bound, or assumed with nodeName set by the scheduler). */
  addPod(pod: Pod, nodeName: string): void {
    const uid = uidOf(pod)
    const prev = this.pods.get(uid)
    if (prev && prev.nodeName !== nodeName)
      this.nodes.get(prev.nodeName) && removePod(this.nodes.get(prev.nodeName)!, uid)
    this.pods.set(uid, { pod, nodeName })
    const info = this.nodes.get(nodeName)
    if (info) addPod(info, pod)
    if (hasPodAffinity(pod)) this.affinityPods.add(uid)
    else this.affinityPods.delete(uid)
    this.minPriority = Math.min(this.minPriority, pod.spec?.priority ?? 0)
  }

  removePod(pod: Pod): void {
    const uid = uidOf(pod)
    const prev = this.pods.get(uid)
    if (!prev) return
    this.pods.delete(uid)
    this.affinityPods.delete(uid)
    const info = this.nodes.get(prev.nodeName)
    if (info) removePod(info, uid)
  }

  hasPod(pod: Pod): boolean {
    return this.pods.has(uidOf(pod))
  }

  nodeInfos(): NodeInfo[] {
    if (!this.nodeList) this.nodeList = [...this.nodes.values()]
    return this.nodeList
  }

  node(name: string): NodeInfo | undefined {
    return this.nodes.get(name)
  }

  podsWithAffinity(): { pod: Pod; node: NodeInfo }[] {
    const out: { pod: Pod; node: NodeInfo }[] = []
    for (const uid of this.affinityPods) {
      const p = this.pods.get(uid)
      const node = p && this.nodes.get(p.nodeName)
      if (p && node) out.push({ pod: p.pod, node })
    }
    return out
  }
}
