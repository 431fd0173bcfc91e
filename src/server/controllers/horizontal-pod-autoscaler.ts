// A basic HorizontalPodAutoscaler controller (upstream pkg/controller/podautoscaler): Resource metrics
// (cpu/memory averageUtilization or averageValue) from the metrics.k8s.io API when it is served,
// replicas = ceil(current × usage / target) outside a 10 % tolerance, clamped to min/max; without the
// metrics API the conditions and a FailedGetResourceMetric event say why nothing scales.
import type { KubeObject } from '../registry/types.ts'
import { parseQuantity } from '../scheduler/quantity.ts'
import { type ControllerContext, enqueueSelf, newController } from './context.ts'
import { statusCovers } from './deployment-util.ts'
import type { Controller } from './lib/controller.ts'
import { selectorToString } from './lib/label-selector.ts'
import { splitKey } from './lib/object-key.ts'
import { nowRfc3339 } from './lib/pods.ts'
import { inNs, R } from './lib/resources.ts'

const TOLERANCE = 0.1
const METRICS = { group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods' }

export interface MetricInput {
  /** per pod: usage and request of the metric's resource, in base units */
  pods: { usage: number; request: number }[]
  target: { averageUtilization?: number; averageValue?: number }
}

/** The replica count one Resource metric asks for (replica_calculator.go GetResourceReplicas). */
export function desiredReplicas(
  current: number,
  m: MetricInput,
): { replicas: number; utilization?: number; average: number } {
  const usage = m.pods.reduce((a, p) => a + p.usage, 0)
  const average = m.pods.length ? usage / m.pods.length : 0
  if (m.pods.length === 0) return { replicas: current, average }
  let ratio: number
  let utilization: number | undefined
  if (m.target.averageUtilization !== undefined) {
    const requests = m.pods.reduce((a, p) => a + p.request, 0)
    if (requests <= 0) return { replicas: current, average }
    utilization = Math.round((usage * 100) / requests)
    ratio = (usage * 100) / requests / m.target.averageUtilization
  } else ratio = average / (m.target.averageValue ?? 1)
  if (Math.abs(ratio - 1) <= TOLERANCE) return { replicas: current, utilization, average }
  return { replicas: Math.ceil(ratio * m.pods.length), utilization, average }
}

export function horizontalPodAutoscalerController(ctx: ControllerContext): Controller {
  const hpas = ctx.informers.informerFor(R.hpas)
  const recorder = ctx.events('horizontal-pod-autoscaler')
  const period = ctx.options.hpaSyncMs ?? 15_000

  const c = newController(ctx, {
    name: 'horizontal-pod-autoscaler',
    workers: 2,
    async reconcile(key) {
      const { namespace, name } = splitKey(key)
      const cached = hpas.get(key)
      if (!cached) return
      const hpa: KubeObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', ...cached }
      const ref = hpa.spec?.scaleTargetRef ?? {}
      const [group] = String(ref.apiVersion ?? '').includes('/') ? String(ref.apiVersion).split('/') : ['']
      const def = ctx.resources().find((d) => d.group === group && d.kind === ref.kind && d.subresources?.scale)
      const now = nowRfc3339(ctx.now())
      const conds: any[] = []
      const cond = (type: string, status: string, reason: string, message: string) => {
        const old = (hpa.status?.conditions ?? []).find((x: { type: string }) => x.type === type)
        conds.push({
          type,
          status,
          reason,
          message,
          lastTransitionTime: old?.status === status ? old.lastTransitionTime : now,
        })
      }
      let target: KubeObject | undefined
      if (def)
        target = await ctx.client
          .get<KubeObject>({ group: def.group, version: def.version, resource: def.plural, namespace }, ref.name)
          .catch(() => undefined)
      if (!def || !target) {
        cond(
          'AbleToScale',
          'False',
          'FailedGetScale',
          `the HPA controller was unable to get the target's current scale: ${ref.kind?.toLowerCase()}s "${ref.name}" not found`,
        )
        recorder.event(hpa, 'Warning', 'FailedGetScale', `${ref.kind?.toLowerCase()}s "${ref.name}" not found`)
        await writeStatus({
          currentReplicas: hpa.status?.currentReplicas ?? 0,
          desiredReplicas: hpa.status?.desiredReplicas ?? 0,
          conditions: conds,
        })
        return { requeueAfterMs: period }
      }
      const current: number = target.spec?.replicas ?? 1
      const min: number = hpa.spec?.minReplicas ?? 1
      const max: number = hpa.spec?.maxReplicas ?? current
      cond('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale")
      if (current === 0 && min !== 0) {
        // upstream: a target scaled to zero by hand turns autoscaling off until it is scaled up again
        cond(
          'ScalingActive',
          'False',
          'ScalingDisabled',
          'scaling is disabled since the replica count of the target is zero',
        )
        await writeStatus({
          observedGeneration: hpa.metadata?.generation,
          currentReplicas: 0,
          desiredReplicas: 0,
          currentMetrics: null,
          conditions: conds,
        })
        return { requeueAfterMs: period }
      }
      const metrics = (
        hpa.spec?.metrics ?? [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
        ]
      ).filter((m: KubeObject) => m.type === 'Resource')
      const served = ctx.resources().some((d) => d.group === METRICS.group && d.plural === 'pods')
      let desired = current
      const currentMetrics: KubeObject[] = []
      let failure: string | undefined
      if (!served) {
        // upstream's words when metrics.k8s.io is not served (no metrics-server): the client's 404
        const res = metrics[0]?.resource?.name ?? 'cpu'
        failure = `failed to get ${res} utilization: unable to get metrics for resource ${res}: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)`
      } else {
        const selector = selectorToString(target.spec?.selector)
        try {
          const usage = await ctx.client.list<KubeObject>({ ...METRICS, namespace }, { labelSelector: selector })
          const pods = await ctx.client.list<KubeObject>(inNs(R.pods, namespace), { labelSelector: selector })
          let best = 0
          for (const m of metrics) {
            const res: string = m.resource.name
            const per = pods.items
              .filter((p) => p.status?.phase === 'Running')
              .map((p) => {
                const u = usage.items.find((x) => x.metadata?.name === p.metadata?.name)
                const sum = (list: KubeObject[] | undefined, f: (c: KubeObject) => unknown) =>
                  (list ?? []).reduce((a, x) => a + parseQuantity(f(x) as string), 0)
                return {
                  usage: sum(u?.containers, (x) => x.usage?.[res]),
                  request: sum(p.spec?.containers, (x) => x.resources?.requests?.[res]),
                  has: !!u,
                }
              })
              .filter((x) => x.has)
            const r = desiredReplicas(current, {
              pods: per,
              target: {
                averageUtilization: m.resource.target?.averageUtilization,
                averageValue: m.resource.target?.averageValue
                  ? parseQuantity(m.resource.target.averageValue)
                  : undefined,
              },
            })
            if (per.length === 0)
              failure = `failed to get ${res} utilization: unable to get metrics for resource ${res}: no metrics returned from resource metrics API`
            best = Math.max(best, r.replicas)
            currentMetrics.push({
              type: 'Resource',
              resource: {
                name: res,
                current: {
                  ...(r.utilization !== undefined ? { averageUtilization: r.utilization } : {}),
                  averageValue: String(Math.round(r.average * 1000)) + 'm',
                },
              },
            })
          }
          if (!failure) desired = best
        } catch (err) {
          failure = `failed to get resource metrics: ${(err as Error).message}`
        }
      }
      if (failure) {
        cond(
          'ScalingActive',
          'False',
          'FailedGetResourceMetric',
          `the HPA was unable to compute the replica count: ${failure}`,
        )
        recorder.event(hpa, 'Warning', 'FailedGetResourceMetric', failure)
      } else
        cond(
          'ScalingActive',
          'True',
          'ValidMetricFound',
          'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
        )
      const clamped = Math.min(max, Math.max(min, desired))
      cond(
        'ScalingLimited',
        clamped !== desired ? 'True' : 'False',
        clamped > desired ? 'TooFewReplicas' : clamped < desired ? 'TooManyReplicas' : 'DesiredWithinRange',
        clamped !== desired
          ? `the desired replica count is ${clamped > desired ? 'less' : 'more'} than the ${clamped > desired ? 'minimum' : 'maximum'} replica count`
          : 'the desired count is within the acceptable range',
      )
      let lastScaleTime = hpa.status?.lastScaleTime
      const next = failure ? Math.min(max, Math.max(min, current)) : clamped
      if (next !== current) {
        await ctx.client.patch(
          { group: def.group, version: def.version, resource: def.plural, namespace },
          ref.name,
          'merge',
          { spec: { replicas: next } },
        )
        recorder.event(
          hpa,
          'Normal',
          'SuccessfulRescale',
          `New size: ${next}; reason: ${failure ? 'Current number of replicas outside the min/max range' : 'cpu resource utilization (percentage of request) above target'}`,
        )
        lastScaleTime = now
      }
      await writeStatus({
        observedGeneration: hpa.metadata?.generation,
        currentReplicas: current,
        desiredReplicas: next,
        currentMetrics: currentMetrics.length ? currentMetrics : null,
        ...(lastScaleTime ? { lastScaleTime } : {}),
        conditions: conds,
      })
      return { requeueAfterMs: period }

      async function writeStatus(status: Record<string, unknown>) {
        const strip = (s: any) => ({
          ...s,
          conditions: (s?.conditions ?? []).map(({ lastTransitionTime: _, ...x }: any) => x),
        })
        if (!statusCovers(strip(hpa.status), strip(status)))
          await ctx.client.patch(inNs(R.hpas, namespace), name, 'merge', { status }, { subresource: 'status' })
      }
    },
  })
  hpas.addHandler(enqueueSelf(c))
  return c
}
