import { afterEach, expect, test } from 'bun:test'
import { desiredReplicas } from './horizontal-pod-autoscaler.ts'
import { eventually } from './lib/api-env.test-helper.ts'
import { R } from './lib/resources.ts'
import { type ControllerEnv, ns, openControllerEnv } from './workloads.test-helper.ts'

test.each([
  { name: 'double the target doubles the replicas', usage: [0.4, 0.4], request: 0.25, target: 80, current: 2, want: 4 },
  { name: 'within 10% tolerance nothing changes', usage: [0.21, 0.21], request: 0.25, target: 80, current: 2, want: 2 },
  { name: 'idle scales down', usage: [0.01, 0.01, 0.01], request: 0.25, target: 50, current: 3, want: 1 },
])('$name', ({ usage, request, target, current, want }) => {
  const r = desiredReplicas(current, {
    pods: usage.map((u) => ({ usage: u, request })),
    target: { averageUtilization: target },
  })
  expect(r.replicas).toBe(want)
})

let env: ControllerEnv | undefined
afterEach(async () => {
  await env?.close()
  env = undefined
})

test('without a metrics API the HPA says ScalingActive=False FailedGetResourceMetric', async () => {
  env = await openControllerEnv(['horizontalpodautoscaling'])
  const c = env.client
  await c.create(ns(R.deployments), {
    metadata: { name: 'web' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
    },
  })
  await c.create(ns(R.hpas), {
    metadata: { name: 'web' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
      ],
    },
  })
  const h = await eventually('conditions', async () => {
    const h = await c.get<any>(ns(R.hpas), 'web')
    return h.status?.conditions?.length === 3 && h
  })
  expect(h.status.conditions.find((x: any) => x.type === 'AbleToScale')).toMatchObject({
    status: 'True',
    reason: 'SucceededGetScale',
  })
  expect(h.status.conditions.find((x: any) => x.type === 'ScalingActive')).toMatchObject({
    status: 'False',
    reason: 'FailedGetResourceMetric',
    message:
      'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)',
  })
  // below minReplicas is still corrected
  expect((await c.get<any>(ns(R.deployments), 'web')).spec.replicas).toBe(2)
})

test('a target scaled to zero by hand is left at zero: ScalingActive=False ScalingDisabled', async () => {
  env = await openControllerEnv(['horizontalpodautoscaling'])
  const c = env.client
  await c.create(ns(R.deployments), {
    metadata: { name: 'web' },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
    },
  })
  await c.create(ns(R.hpas), {
    metadata: { name: 'web' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 5,
    },
  })
  const active = await eventually('ScalingActive', async () =>
    (await c.get<any>(ns(R.hpas), 'web')).status?.conditions?.find((x: any) => x.type === 'ScalingActive'),
  )
  expect(active).toMatchObject({ status: 'False', reason: 'ScalingDisabled' })
  expect((await c.get<any>(ns(R.deployments), 'web')).spec.replicas).toBe(0)
})
