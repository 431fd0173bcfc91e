// The default plugin set in upstream's filter order (the first failing filter names the reason, so the
// order decides what FailedScheduling says).
import type { Plugin } from '../types.ts'
import { interPodAffinity } from './inter-pod-affinity.ts'
import { nodeAffinity } from './node-affinity.ts'
import { nodePorts } from './node-ports.ts'
import { nodeReady, nodeUnschedulable } from './node-unschedulable.ts'
import { balancedAllocation, resourcesFit } from './resources-fit.ts'
import { taintToleration } from './taint-toleration.ts'
import { topologySpread } from './topology-spread.ts'
import { volumeBinding } from './volume-binding.ts'

export const defaultPlugins: Plugin[] = [
  nodeUnschedulable,
  taintToleration,
  nodeReady,
  nodeAffinity,
  nodePorts,
  resourcesFit,
  volumeBinding,
  topologySpread,
  interPodAffinity,
  balancedAllocation,
]
