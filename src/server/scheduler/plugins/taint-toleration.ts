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
  return (taints ?? []).find(
    (t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !toleratedBy(tolerations, t),
  )
}

export const taintToleration: Plugin = {
  name: 'TaintToleration',
  weight: 3,
  prepare: () => true,
  filter(pod, info) {
    const taint = untoleratedTaint(info.node.spec?.taints, pod.spec?.tolerations)
    if (!taint) return undefined
    return { reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`], resolvable: false }
  },
  score(pod, info) {
    const prefer = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule')
    return (info.node.spec?.taints ?? []).filter((t) => t.effect === 'PreferNoSchedule' && !toleratedBy(prefer, t))
      .length
  },
  normalize: (s) => defaultNormalize(s, true),
}
