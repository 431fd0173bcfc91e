// k8s.io/api/scheduling/v1 and k8s.io/api/policy/v1 (generated.proto)
import type { MessageTable } from '../message-table.ts'

export const schedulingKinds = ['PriorityClass'] as const
export const policyKinds = ['PodDisruptionBudget'] as const

export const schedulingPolicyMessages = {
  PriorityClass: {
    metadata: [1, 'ObjectMeta'],
    value: [2, 'int32!'],
    globalDefault: [3, 'bool'],
    description: [4, 'string'],
    preemptionPolicy: [5, 'string?'],
  },
  PodDisruptionBudget: {
    metadata: [1, 'ObjectMeta'],
    spec: [2, 'PodDisruptionBudgetSpec'],
    status: [3, 'PodDisruptionBudgetStatus'],
  },
  PodDisruptionBudgetSpec: {
    minAvailable: [1, 'IntOrString?'],
    selector: [2, 'LabelSelector'],
    maxUnavailable: [3, 'IntOrString?'],
    unhealthyPodEvictionPolicy: [4, 'string?'],
  },
  PodDisruptionBudgetStatus: {
    observedGeneration: [1, 'int64'],
    disruptedPods: [2, 'map<string,Time>'],
    disruptionsAllowed: [3, 'int32!'],
    currentHealthy: [4, 'int32!'],
    desiredHealthy: [5, 'int32!'],
    expectedPods: [6, 'int32!'],
    conditions: [7, 'Condition[]'],
  },
} as const satisfies MessageTable
