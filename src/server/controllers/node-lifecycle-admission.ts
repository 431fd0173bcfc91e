// DefaultTolerationSeconds admission (upstream plugin of that name) as a pod storage strategy: every new
// pod tolerates node.kubernetes.io/not-ready and /unreachable NoExecute for
// --default-unreachable-toleration-seconds unless it already says how long, so taint-based eviction
// waits that long before moving it.

import type { Toleration } from 'kubernetes-types/core/v1'
import type { KindStrategy } from '../api/store/kind-strategy.ts'
import { podStrategy } from '../api/store/strategies/pods.ts'
import { addDefaultTolerations, NOT_READY, UNREACHABLE } from './node-lifecycle-taints.ts'

const isDefaultToleration = (t: Toleration) =>
  (t.key === NOT_READY || t.key === UNREACHABLE) &&
  t.operator === 'Exists' &&
  t.effect === 'NoExecute' &&
  t.tolerationSeconds === DEFAULT_TOLERATION_SECONDS

export const DEFAULT_TOLERATION_SECONDS = 300

export function podAdmissionStrategies(seconds = DEFAULT_TOLERATION_SECONDS): Record<string, KindStrategy> {
  return {
    '/pods': {
      ...podStrategy,
      prepareCreate(obj) {
        podStrategy.prepareCreate?.(obj)
        if (!obj.spec) return
        // the registry's pod defaults already add these with upstream's 300 s; apply the flag's value
        obj.spec.tolerations = addDefaultTolerations(
          (obj.spec.tolerations ?? []).map((t: Toleration) =>
            isDefaultToleration(t) ? { ...t, tolerationSeconds: seconds } : t,
          ),
          seconds,
        )
      },
    },
  }
}
