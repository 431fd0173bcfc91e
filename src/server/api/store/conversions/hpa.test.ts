import { expect, test } from 'bun:test'
import { hpaV1ToV2, hpaV2ToV1 } from './hpa.ts'

const v1 = {
  apiVersion: 'autoscaling/v1',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web' },
  spec: {
    scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
    minReplicas: 1,
    maxReplicas: 5,
    targetCPUUtilizationPercentage: 80,
  },
  status: { currentReplicas: 2, desiredReplicas: 2, currentCPUUtilizationPercentage: 40 },
}

test('v1 target CPU utilization is the v2 CPU Utilization metric, both ways', () => {
  const v2 = hpaV1ToV2(v1)
  expect(v2.apiVersion).toBe('autoscaling/v2')
  expect(v2.spec.metrics).toEqual([
    { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
  ])
  expect(v2.spec.targetCPUUtilizationPercentage).toBeUndefined()
  expect(v2.status.currentMetrics[0].resource.current.averageUtilization).toBe(40)
  expect(hpaV2ToV1(v2)).toEqual(v1)
})

test('v2 objects without a CPU utilization metric show no v1 target', () => {
  const v2 = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {},
    spec: { maxReplicas: 3, metrics: [{ type: 'Pods' }] },
  }
  expect(hpaV2ToV1(v2).spec).toEqual({ maxReplicas: 3 })
})
