// TaintToleration: NoSchedule/NoExecute taints must be tolerated (filter); untolerated PreferNoSchedule
// taints lower the score (weight 3).
import type { Plugin, Taint, Toleration } from '../types.ts'
import { defaultNormalize } from './normalize.ts'

/** upstream Toleration.ToleratesTaint */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false
  if (t.key && t.key !== taint.key) return false
  if (!t.key && t.operator !== 'Exists') return false
  if (t.operator === 'Exists') return true
  return (t.value ?? '') === (taint.value ?? '')
}

export const toleratedBy = (tolerations: Toleration[] | undefined, taint: Taint) =>
  (tolerations ?? []).some((t) => tolerates(t, taint))

/** The first NoSchedule/NoExecute taint the pod does not tolerate. */
export function untoleratedTaint(taints: Taint[] | undefined, tolerations: Toleration[] | undefined) {
  if (!taints) return undefined
  for (const t of taints)
    if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !toleratedBy(tolerations, t)) return t
  return undefined
}

export const taintToleration: Plugin<Toleration[]> = {
  name: 'TaintToleration',
  weight: 3,
  // the tolerations that count for PreferNoSchedule taints (scoring)
  prepare: (pod) => (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule'),
  filter(pod, info) {
    const taint = untoleratedTaint(info.node.spec?.taints, pod.spec?.tolerations)
    if (!taint) return undefined
    return { reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`], resolvable: false }
  },
  score(_pod, info, prefer) {
    let n = 0
    for (const t of info.node.spec?.taints ?? []) if (t.effect === 'PreferNoSchedule' && !toleratedBy(prefer, t)) n++
    return n
  },
  normalize: (s) => defaultNormalize(s, true),
}
