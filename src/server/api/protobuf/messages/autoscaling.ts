// k8s.io/api/autoscaling/v1 and v2 (generated.proto). Both versions name their messages alike,
// so v1's carry a V1 suffix here. kubectl 1.32 `autoscale` sends v1, kubectl 1.33 sends v2.
import type { MessageTable } from '../message-table.ts'

export const autoscalingV1Kinds = [['HorizontalPodAutoscaler', 'HorizontalPodAutoscalerV1']] as const
export const autoscalingV2Kinds = ['HorizontalPodAutoscaler'] as const

export const autoscalingMessages = {
  CrossVersionObjectReference: { kind: [1, 'string'], name: [2, 'string'], apiVersion: [3, 'string'] },

  HorizontalPodAutoscalerV1: {
    metadata: [1, 'ObjectMeta'],
    spec: [2, 'HorizontalPodAutoscalerSpecV1'],
    status: [3, 'HorizontalPodAutoscalerStatusV1'],
  },
  HorizontalPodAutoscalerSpecV1: {
    scaleTargetRef: [1, 'CrossVersionObjectReference'],
    minReplicas: [2, 'int32?'],
    maxReplicas: [3, 'int32!'],
    targetCPUUtilizationPercentage: [4, 'int32?'],
  },
  HorizontalPodAutoscalerStatusV1: {
    observedGeneration: [1, 'int64?'],
    lastScaleTime: [2, 'Time'],
    currentReplicas: [3, 'int32!'],
    desiredReplicas: [4, 'int32!'],
    currentCPUUtilizationPercentage: [5, 'int32?'],
  },

  HorizontalPodAutoscaler: {
    metadata: [1, 'ObjectMeta'],
    spec: [2, 'HorizontalPodAutoscalerSpec'],
    status: [3, 'HorizontalPodAutoscalerStatus'],
  },
  HorizontalPodAutoscalerSpec: {
    scaleTargetRef: [1, 'CrossVersionObjectReference'],
    minReplicas: [2, 'int32?'],
    maxReplicas: [3, 'int32!'],
    metrics: [4, 'MetricSpec[]'],
    behavior: [5, 'HorizontalPodAutoscalerBehavior'],
  },
  MetricSpec: {
    type: [1, 'string'],
    object: [2, 'ObjectMetricSource'],
    pods: [3, 'PodsMetricSource'],
    resource: [4, 'ResourceMetricSource'],
    containerResource: [7, 'ContainerResourceMetricSource'],
    external: [5, 'ExternalMetricSource'],
  },
  ObjectMetricSource: {
    describedObject: [1, 'CrossVersionObjectReference'],
    target: [2, 'MetricTarget'],
    metric: [3, 'MetricIdentifier'],
  },
  PodsMetricSource: { metric: [1, 'MetricIdentifier'], target: [2, 'MetricTarget'] },
  ResourceMetricSource: { name: [1, 'string'], target: [2, 'MetricTarget'] },
  ContainerResourceMetricSource: { name: [1, 'string'], target: [2, 'MetricTarget'], container: [3, 'string'] },
  ExternalMetricSource: { metric: [1, 'MetricIdentifier'], target: [2, 'MetricTarget'] },
  MetricIdentifier: { name: [1, 'string'], selector: [2, 'LabelSelector'] },
  MetricTarget: {
    type: [1, 'string'],
    value: [2, 'Quantity'],
    averageValue: [3, 'Quantity'],
    averageUtilization: [4, 'int32?'],
  },
  HorizontalPodAutoscalerBehavior: { scaleUp: [1, 'HPAScalingRules'], scaleDown: [2, 'HPAScalingRules'] },
  HPAScalingRules: {
    stabilizationWindowSeconds: [3, 'int32?'],
    selectPolicy: [1, 'string?'],
    policies: [2, 'HPAScalingPolicy[]'],
    tolerance: [4, 'Quantity'],
  },
  HPAScalingPolicy: { type: [1, 'string'], value: [2, 'int32'], periodSeconds: [3, 'int32'] },
  // Clients send an empty status; currentMetrics (MetricStatus) is written only by the controller.
  HorizontalPodAutoscalerStatus: {
    observedGeneration: [1, 'int64?'],
    lastScaleTime: [2, 'Time'],
    currentReplicas: [3, 'int32'],
    desiredReplicas: [4, 'int32!'],
    conditions: [6, 'HorizontalPodAutoscalerCondition[]'],
  },
  HorizontalPodAutoscalerCondition: {
    type: [1, 'string'],
    status: [2, 'string'],
    lastTransitionTime: [3, 'Time'],
    reason: [4, 'string'],
    message: [5, 'string'],
  },
} as const satisfies MessageTable
