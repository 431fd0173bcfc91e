// PodTopologySpread: DoNotSchedule constraints filter (skew = matching pods in the node's domain + 1 −
// the least populated domain's count must stay ≤ maxSkew); ScheduleAnyway constraints score, fewer
// matching pods in the domain scoring higher (weight 2). Domains come from nodes that pass the pod's
// nodeSelector/required node affinity (upstream nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore).
import { labelSelectorMatches } from '../selectors.ts'
import type { ClusterView, NodeInfo, Plugin, Pod, TopologySpreadConstraint } from '../types.ts'
import { MAX_NODE_SCORE } from '../types.ts'
import { matchesNodeSelectorAndAffinity } from './node-affinity.ts'

interface Spread {
  c: TopologySpreadConstraint
  counts: Map<string, number>
  min: number
  selfMatch: number
}

interface SpreadState {
  hard: Spread[]
  soft: Spread[]
}

function countDomains(pod: Pod, c: TopologySpreadConstraint, view: ClusterView): Spread {
  const counts = new Map<string, number>()
  const ns = pod.metadata?.namespace
  for (const info of view.nodes) {
    const v = info.node.metadata?.labels?.[c.topologyKey]
    if (v === undefined || !matchesNodeSelectorAndAffinity(pod, info.node)) continue
    let n = counts.get(v) ?? 0
    for (const p of info.pods.values())
      if (
        p.metadata?.namespace === ns &&
        !p.metadata?.deletionTimestamp &&
        labelSelectorMatches(c.labelSelector, p.metadata?.labels)
      )
        n++
    counts.set(v, n)
  }
  const min = counts.size < (c.minDomains ?? 1) ? 0 : counts.size ? Math.min(...counts.values()) : 0
  const selfMatch = labelSelectorMatches(c.labelSelector, pod.metadata?.labels) ? 1 : 0
  return { c, counts, min, selfMatch }
}

export const topologySpread: Plugin<SpreadState> = {
  name: 'PodTopologySpread',
  weight: 2,
  prepare(pod, view) {
    const all = pod.spec?.topologySpreadConstraints ?? []
    if (!all.length) return undefined
    return {
      hard: all.filter((c) => c.whenUnsatisfiable === 'DoNotSchedule').map((c) => countDomains(pod, c, view)),
      soft: all.filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway').map((c) => countDomains(pod, c, view)),
    }
  },
  filter(_pod, info: NodeInfo, s) {
    for (const sp of s.hard) {
      const v = info.node.metadata?.labels?.[sp.c.topologyKey]
      if (v === undefined)
        return {
          reasons: ["node(s) didn't match pod topology spread constraints (missing required label)"],
          resolvable: false,
        }
      const skew = (sp.counts.get(v) ?? 0) + sp.selfMatch - sp.min
      if (skew > sp.c.maxSkew)
        return { reasons: ["node(s) didn't match pod topology spread constraints"], resolvable: true }
    }
    return undefined
  },
  score(_pod, info, s) {
    let sum = 0
    for (const sp of s.soft) {
      const v = info.node.metadata?.labels?.[sp.c.topologyKey]
      sum += v === undefined ? MAX_NODE_SCORE : (sp.counts.get(v) ?? 0)
    }
    return sum
  },
  normalize(scores) {
    // upstream: MaxNodeScore * (max + min - s) / max
    const max = Math.max(...scores)
    const min = Math.min(...scores)
    for (let i = 0; i < scores.length; i++)
      scores[i] = max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max + min - scores[i])) / max)
  },
}
