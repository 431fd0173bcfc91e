// NodeAffinity: spec.nodeSelector and requiredDuringScheduling node affinity (filter); the weights of
// matching preferred terms (score, weight 2).

import type { PreferredSchedulingTerm } from 'kubernetes-types/core/v1'
import { nodeSelectorTermMatches, nodeSelectorTermsMatch } from '../selectors.ts'
import type { Node, Plugin, Pod } from '../types.ts'

type NodeSelectorTerms = PreferredSchedulingTerm[]

import { defaultNormalize } from './normalize.ts'

export function matchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata?.labels ?? {}
  const sel = pod.spec?.nodeSelector
  if (sel) for (const k in sel) if (labels[k] !== sel[k]) return false
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
  return !required || nodeSelectorTermsMatch(required.nodeSelectorTerms ?? [], node)
}

export const nodeAffinity: Plugin<NodeSelectorTerms> = {
  name: 'NodeAffinity',
  weight: 2,
  prepare: (pod) => pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [],
  filter(pod, info) {
    if (matchesNodeSelectorAndAffinity(pod, info.node)) return undefined
    return { reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false }
  },
  score(_pod, info, preferred) {
    let sum = 0
    for (const t of preferred) if (t.weight && nodeSelectorTermMatches(t.preference, info.node)) sum += t.weight
    return sum
  },
  normalize: (s) => defaultNormalize(s),
}
