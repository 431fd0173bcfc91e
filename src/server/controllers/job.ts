// The Job controller: applies planJob — status (with uncounted pods) first, then tracking finalizers
// off the counted pods, then pod creates and deletes — and deletes finished Jobs after
// ttlSecondsAfterFinished (upstream's ttl-after-finished controller, folded in here).
import type { KubeObject } from '../registry/types.ts'
import { type ControllerContext, enqueueOwner, enqueueSelf, newController } from './context.ts'
import { statusCovers } from './deployment-util.ts'
import { INDEX_KEY, planJob, TRACKING_FINALIZER } from './job-plan.ts'
import type { Controller } from './lib/controller.ts'
import { splitKey } from './lib/object-key.ts'
import { type Pod, podFromTemplate } from './lib/pods.ts'
import { inNs, R } from './lib/resources.ts'

export function jobController(ctx: ControllerContext): Controller {
  const jobs = ctx.informers.informerFor(R.jobs)
  const pods = ctx.informers.informerFor<Pod>(R.pods)
  const recorder = ctx.events('job-controller')

  const c = newController(ctx, {
    name: 'job-controller',
    workers: 4,
    async reconcile(key) {
      const { namespace, name } = splitKey(key)
      const cached = jobs.get(key)
      if (!cached || cached.metadata?.deletionTimestamp) {
        // As upstream: once its Job is gone or going, a pod's tracking finalizer only blocks its
        // deletion (the GC deletes it, the finalizer would keep it Terminating forever).
        await releaseOrphans(namespace!, name)
        return
      }
      const job: KubeObject = { apiVersion: 'batch/v1', kind: 'Job', ...cached }
      const owned = pods
        .byIndex('owner', job.metadata!.uid!)
        .filter((p) =>
          p.metadata?.ownerReferences?.some(
            (o: { uid: string; controller?: boolean }) => o.uid === job.metadata?.uid && o.controller,
          ),
        )
      const plan = planJob(job, owned, ctx.now(), {
        backoffBaseMs: ctx.options.jobBackoffBaseMs,
        backoffMaxMs: ctx.options.jobBackoffBaseMs ? ctx.options.jobBackoffBaseMs * 36 : undefined,
      })
      const jobRef = inNs(R.jobs, namespace)
      const podsRef = inNs(R.pods, namespace)
      if (plan.deleteJob) {
        await ctx.client.delete(jobRef, name, {
          propagationPolicy: 'Foreground',
          preconditions: { uid: job.metadata?.uid },
        })
        return
      }
      // 1. record which finished pods are about to be counted
      if (!statusCovers(job.status, plan.status))
        await ctx.client.patch(jobRef, name, 'merge', { status: plan.status }, { subresource: 'status' })
      // 2. their tracking finalizers go; the next sync moves them into succeeded/failed
      let lastRv: string | undefined
      const track = (o: KubeObject) => {
        const rv = o.metadata?.resourceVersion
        if (rv && (!lastRv || Number(rv) > Number(lastRv))) lastRv = rv
      }
      await Promise.all(
        plan.release.map(async (p) => {
          try {
            const fresh = await ctx.client.get<Pod>(podsRef, p.metadata!.name!)
            if (fresh.metadata?.uid !== p.metadata?.uid) return
            const left = (fresh.metadata?.finalizers ?? []).filter((f: string) => f !== TRACKING_FINALIZER)
            fresh.metadata = { ...fresh.metadata, finalizers: left }
            track(await ctx.client.update(podsRef, fresh))
          } catch (err) {
            if ((err as { code?: number }).code !== 404) throw err
          }
        }),
      )
      // 3. pods to create and delete
      const results = await Promise.allSettled([
        ...plan.create.map(async (index) => {
          const pod = jobPod(job, index)
          try {
            const created = await ctx.client.create(podsRef, pod)
            track(created)
            recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`)
          } catch (err) {
            recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`)
            throw err
          }
        }),
        ...plan.delete.map(async (p) => {
          try {
            track(await ctx.client.delete(podsRef, p.metadata!.name!, { preconditions: { uid: p.metadata?.uid } }))
            recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata?.name}`)
          } catch (err) {
            if ((err as { code?: number }).code !== 404) throw err
          }
        }),
      ])
      for (const e of plan.events) recorder.event(job, e.type, e.reason, e.message)
      await pods.waitForResourceVersion(lastRv)
      const failed = results.find((r) => r.status === 'rejected')
      if (failed) throw (failed as PromiseRejectedResult).reason
      if (plan.release.length > 0) c.enqueue(key)
      return plan.requeueAfterMs !== undefined ? { requeueAfterMs: plan.requeueAfterMs } : undefined
    },
  })
  async function releaseOrphans(namespace: string, jobName: string) {
    const podsRef = inNs(R.pods, namespace)
    const orphans = pods
      .byIndex('namespace', namespace)
      .filter((p) => (p.metadata?.finalizers ?? []).includes(TRACKING_FINALIZER))
      .filter((p) =>
        p.metadata?.ownerReferences?.some(
          (o: { kind: string; name: string; controller?: boolean }) =>
            o.kind === 'Job' && o.name === jobName && o.controller,
        ),
      )
    for (const p of orphans) {
      const finalizers = (p.metadata?.finalizers ?? []).filter((f: string) => f !== TRACKING_FINALIZER)
      try {
        await ctx.client.patch(podsRef, p.metadata!.name!, 'merge', {
          metadata: { finalizers, resourceVersion: p.metadata?.resourceVersion },
        })
      } catch (err) {
        // 404: already gone; 409: changed since the cache saw it, the pod's update re-enqueues us
        if (![404, 409].includes((err as { code?: number }).code ?? 0)) throw err
      }
    }
  }

  jobs.addHandler(enqueueSelf(c))
  pods.addHandler(enqueueOwner(c, 'Job'))
  return c
}

/** A Job's pod: the tracking finalizer, and in Indexed mode the completion index as annotation, label,
 * hostname and JOB_COMPLETION_INDEX (as upstream's addCompletionIndexEnvVariables). */
export function jobPod(job: KubeObject, index: number | undefined): Pod {
  const name = job.metadata?.name
  const extra =
    index === undefined
      ? { finalizers: [TRACKING_FINALIZER] }
      : {
          finalizers: [TRACKING_FINALIZER],
          annotations: { [INDEX_KEY]: String(index) },
          labels: { [INDEX_KEY]: String(index) },
        }
  const pod = podFromTemplate(job.spec?.template, job, extra)
  if (index !== undefined) {
    pod.metadata!.generateName = `${name}-${index}-`
    pod.spec = { ...pod.spec, hostname: pod.spec?.hostname ?? `${name}-${index}` }
    const env = {
      name: 'JOB_COMPLETION_INDEX',
      valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${INDEX_KEY}']` } },
    }
    for (const list of [pod.spec.containers ?? [], pod.spec.initContainers ?? []])
      for (const ct of list)
        if (!(ct.env ?? []).some((e: { name: string }) => e.name === 'JOB_COMPLETION_INDEX'))
          ct.env = [...(ct.env ?? []), env]
  }
  return pod
}
