// pkg/registry/core/pod/strategy.go: status starts as Pending; graceful deletion only for pods bound to
// a node and still running (the kubelet finishes with a grace-0 delete); unbound or finished pods go at once.
import type { KubeObject } from '../../../registry/types.ts'
import type { KindStrategy } from '../kind-strategy.ts'

export const DEFAULT_POD_GRACE_SECONDS = 30

export const podStrategy: KindStrategy = {
  prepareCreate(obj) {
    obj.status = { phase: 'Pending', ...(obj.status?.qosClass ? { qosClass: obj.status.qosClass } : {}) }
  },
  gracePeriod(obj: KubeObject, requested) {
    if (!obj.spec?.nodeName) return 0
    const phase = obj.status?.phase
    if (phase === 'Succeeded' || phase === 'Failed') return 0
    const grace = requested ?? obj.spec?.terminationGracePeriodSeconds ?? DEFAULT_POD_GRACE_SECONDS
    return Math.max(0, grace)
  },
}
