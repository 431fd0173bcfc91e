// DefaultTolerationSeconds admission (upstream plugin of that name) as a pod storage strategy: every new
// pod tolerates node.kubernetes.io/not-ready and /unreachable NoExecute for
// --default-unreachable-toleration-seconds unless it already says how long, so taint-based eviction
// waits that long before moving it.
import type { KindStrategy } from '../api/store/kind-strategy.ts'
import { podStrategy } from '../api/store/strategies/pods.ts'
import { addDefaultTolerations } from './node-lifecycle-taints.ts'

export const DEFAULT_TOLERATION_SECONDS = 300

export function podAdmissionStrategies(seconds = DEFAULT_TOLERATION_SECONDS): Record<string, KindStrategy> {
  return {
    '/pods': {
      ...podStrategy,
      prepareCreate(obj) {
        podStrategy.prepareCreate?.(obj)
        if (obj.spec) obj.spec.tolerations = addDefaultTolerations(obj.spec.tolerations, seconds)
      },
    },
  }
}
