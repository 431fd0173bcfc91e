// NodeUnschedulable (cordoned nodes), and node readiness. Upstream relies on the not-ready/unreachable
// NoSchedule taints the node lifecycle controller adds (TaintToleration reports them); the readiness
// check runs after TaintToleration and only closes the window before the taint lands. Pods tolerating
// the matching taint (DaemonSets) still fit.
import type { Plugin } from '../types.ts'
import { toleratedBy } from './taint-toleration.ts'

export const nodeUnschedulable: Plugin = {
  name: 'NodeUnschedulable',
  prepare: () => true,
  filter(pod, info) {
    const tol = pod.spec?.tolerations
    if (
      info.node.spec?.unschedulable &&
      !toleratedBy(tol, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })
    )
      return { reasons: ['node(s) were unschedulable'], resolvable: false }
    return undefined
  },
}

export const nodeReady: Plugin = {
  name: 'NodeReady',
  prepare: () => true,
  filter(pod, info) {
    const tol = pod.spec?.tolerations
    const ready = info.node.status?.conditions?.find((c) => c.type === 'Ready')
    if (ready?.status === 'True') return undefined
    const key = ready?.status === 'False' ? 'node.kubernetes.io/not-ready' : 'node.kubernetes.io/unreachable'
    if (toleratedBy(tol, { key, effect: 'NoSchedule' })) return undefined
    return { reasons: ['node(s) were not ready'], resolvable: false }
  },
}
