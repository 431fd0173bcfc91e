// NodeAffinity: spec.nodeSelector and requiredDuringScheduling node affinity (filter); the weights of
// matching preferred terms (score, weight 2).
import { nodeSelectorTermMatches, nodeSelectorTermsMatch } from '../selectors.ts'
import type { Node, Plugin, Pod } from '../types.ts'
import { defaultNormalize } from './normalize.ts'

export function matchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata?.labels ?? {}
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
  return !required || nodeSelectorTermsMatch(required.nodeSelectorTerms ?? [], node)
}

export const nodeAffinity: Plugin = {
  name: 'NodeAffinity',
  weight: 2,
  prepare: () => true,
  filter(pod, info) {
    if (matchesNodeSelectorAndAffinity(pod, info.node)) return undefined
    return { reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false }
  },
  score(pod, info) {
    let sum = 0
    for (const t of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
      if (t.weight && nodeSelectorTermMatches(t.preference, info.node)) sum += t.weight
    return sum
  },
  normalize: (s) => defaultNormalize(s),
}
