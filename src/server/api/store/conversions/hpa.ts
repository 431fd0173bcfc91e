// autoscaling/v1 HorizontalPodAutoscaler ⇄ autoscaling/v2 (storage shape, as upstream's storage version):
// v1's targetCPUUtilizationPercentage is v2's CPU Utilization Resource metric, both ways
// (k8s.io/kubernetes pkg/apis/autoscaling/v1 conversion). v2-only metrics are not shown through v1.
import type { KubeObject } from '../../../registry/types.ts'

type Metric = { type?: string; resource?: { name?: string; target?: any; current?: any } }

const isCpuUtilization = (m: Metric) =>
  m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization'

export function hpaV1ToV2(obj: KubeObject): KubeObject {
  const { targetCPUUtilizationPercentage: target, ...spec } = obj.spec ?? {}
  const { currentCPUUtilizationPercentage: current, ...status } = obj.status ?? {}
  const out: KubeObject = { ...obj, apiVersion: 'autoscaling/v2' }
  if (obj.spec)
    out.spec = {
      ...spec,
      ...(target !== undefined
        ? {
            metrics: [
              {
                type: 'Resource',
                resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } },
              },
            ],
          }
        : {}),
    }
  if (obj.status)
    out.status = {
      ...status,
      ...(current !== undefined
        ? {
            currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }],
          }
        : {}),
    }
  return out
}

export function hpaV2ToV1(obj: KubeObject): KubeObject {
  if (obj.apiVersion === 'autoscaling/v1') return obj
  const { metrics, behavior: _b, ...spec } = obj.spec ?? {}
  const { currentMetrics, conditions: _c, ...status } = obj.status ?? {}
  const cpu = (metrics as Metric[] | undefined)?.find(isCpuUtilization)
  const cur = (currentMetrics as Metric[] | undefined)?.find(
    (m) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.current?.averageUtilization !== undefined,
  )
  const out: KubeObject = { ...obj, apiVersion: 'autoscaling/v1' }
  if (obj.spec)
    out.spec = { ...spec, ...(cpu ? { targetCPUUtilizationPercentage: cpu.resource!.target.averageUtilization } : {}) }
  if (obj.status)
    out.status = {
      ...status,
      ...(cur ? { currentCPUUtilizationPercentage: cur.resource!.current.averageUtilization } : {}),
    }
  return out
}

export const hpaV1Conversion = { toStorage: hpaV1ToV2, fromStorage: hpaV2ToV1 }
