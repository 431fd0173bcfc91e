// The CronJob controller (upstream pkg/controller/cronjob, v2): tracks its Jobs in status.active,
// creates `<cronjob>-<scheduled minutes since epoch>` at the most recent due time (within
// startingDeadlineSeconds), honours concurrencyPolicy and suspend, prunes finished Jobs beyond the
// history limits, and requeues itself for the next scheduled time.
import type { KubeObject } from '../registry/types.ts'
import { type ControllerContext, enqueueOwner, enqueueSelf, newController } from './context.ts'
import { CronSyntaxError, mostRecentTime, nextTime, parseSchedule } from './cron-schedule.ts'
import { statusCovers } from './deployment-util.ts'
import { finishedCondition } from './job-plan.ts'
import type { Controller } from './lib/controller.ts'
import { TerminalError } from './lib/controller.ts'
import { splitKey } from './lib/object-key.ts'
import { controllerRef, nowRfc3339 } from './lib/pods.ts'
import { inNs, R } from './lib/resources.ts'

export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp'

export function cronJobController(ctx: ControllerContext): Controller {
  const cronJobs = ctx.informers.informerFor(R.cronjobs)
  const jobs = ctx.informers.informerFor(R.jobs)
  const recorder = ctx.events('cronjob-controller')

  const c = newController(ctx, {
    name: 'cronjob-controller',
    workers: 2,
    async reconcile(key) {
      const { namespace, name } = splitKey(key)
      const cached = cronJobs.get(key)
      if (!cached || cached.metadata?.deletionTimestamp) return
      const cj: KubeObject = { apiVersion: 'batch/v1', kind: 'CronJob', ...cached }
      const jobsRef = inNs(R.jobs, namespace)
      const now = ctx.now()
      const mine = jobs
        .byIndex('owner', cj.metadata!.uid!)
        .filter((j) =>
          j.metadata?.ownerReferences?.some(
            (o: { uid: string; controller?: boolean }) => o.uid === cj.metadata?.uid && o.controller,
          ),
        )
      const status: Record<string, any> = {}
      const active = mine.filter((j) => !finishedCondition(j) && !j.metadata?.deletionTimestamp)
      let lastSuccessful = cj.status?.lastSuccessfulTime
      for (const j of mine) {
        const f = finishedCondition(j)
        if (
          f?.type === 'Complete' &&
          j.status?.completionTime &&
          (!lastSuccessful || j.status.completionTime > lastSuccessful)
        )
          lastSuccessful = j.status.completionTime
      }
      // history limits: the oldest finished Jobs beyond the limits go
      for (const [type, limit] of [
        ['Complete', cj.spec?.successfulJobsHistoryLimit ?? 3],
        ['Failed', cj.spec?.failedJobsHistoryLimit ?? 1],
      ] as const) {
        const done = mine
          .filter((j) => finishedCondition(j)?.type === type && !j.metadata?.deletionTimestamp)
          .sort((a, b) =>
            (a.status?.startTime ?? a.metadata?.creationTimestamp ?? '').localeCompare(
              b.status?.startTime ?? b.metadata?.creationTimestamp ?? '',
            ),
          )
        for (const j of done.slice(0, Math.max(0, done.length - limit))) {
          await ctx.client.delete(jobsRef, j.metadata!.name!, { propagationPolicy: 'Background' }).catch((err) => {
            if (err?.code !== 404) throw err
          })
          recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata?.name}`)
        }
      }
      let schedule: ReturnType<typeof parseSchedule>
      try {
        schedule = parseSchedule(cj.spec?.schedule ?? '', cj.spec?.timeZone)
      } catch (err) {
        if (err instanceof CronSyntaxError) {
          recorder.event(
            cj,
            'Warning',
            'UnparseableSchedule',
            `unparseable schedule: ${JSON.stringify(cj.spec?.schedule)} : ${err.message}`,
          )
          throw new TerminalError(err.message)
        }
        throw err
      }
      let lastSchedule = cj.status?.lastScheduleTime
      let requeueAfterMs: number | undefined
      if (!cj.spec?.suspend) {
        const created = Date.parse(cj.metadata?.creationTimestamp ?? '') || now
        let earliest = lastSchedule ? Date.parse(lastSchedule) : created - 1
        const deadline = cj.spec?.startingDeadlineSeconds
        if (deadline !== undefined && deadline !== null) earliest = Math.max(earliest, now - deadline * 1000)
        const { time, missed } = mostRecentTime(schedule, earliest, now)
        if (missed > 100)
          recorder.event(
            cj,
            'Warning',
            'TooManyMissedTimes',
            'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
          )
        if (time !== undefined) {
          const jobName = `${name}-${Math.floor(time / 60_000)}`
          const exists = mine.some((j) => j.metadata?.name === jobName)
          const policy = cj.spec?.concurrencyPolicy ?? 'Allow'
          if (!exists && policy === 'Forbid' && active.length > 0) {
            recorder.event(
              cj,
              'Normal',
              'JobAlreadyActive',
              'Not starting job because prior execution is running and concurrency policy is Forbid',
            )
          } else if (!exists) {
            if (policy === 'Replace')
              for (const j of active) {
                await ctx.client
                  .delete(jobsRef, j.metadata!.name!, { propagationPolicy: 'Background' })
                  .catch((err) => {
                    if (err?.code !== 404) throw err
                  })
                recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata?.name}`)
                active.splice(active.indexOf(j), 1)
              }
            const job = jobFromTemplate(cj, jobName, time)
            try {
              const made = await ctx.client.create<KubeObject>(jobsRef, job)
              active.push(made)
              await jobs.waitForResourceVersion(made.metadata?.resourceVersion)
              recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${jobName}`)
            } catch (err) {
              if ((err as { code?: number }).code !== 409) {
                recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(err as Error).message}`)
                throw err
              }
            }
            lastSchedule = nowRfc3339(time)
          }
        }
        const next = nextTime(schedule, now)
        if (next !== undefined) requeueAfterMs = next - now + 100
      }
      status.active = active.map((j) => ({
        kind: 'Job',
        namespace,
        name: j.metadata?.name,
        uid: j.metadata?.uid,
        apiVersion: 'batch/v1',
        resourceVersion: j.metadata?.resourceVersion,
      }))
      if (lastSchedule) status.lastScheduleTime = lastSchedule
      if (lastSuccessful) status.lastSuccessfulTime = lastSuccessful
      const cmp = { ...status, active: status.active.map((a: { uid: string }) => a.uid) }
      const have = { ...cj.status, active: (cj.status?.active ?? []).map((a: { uid: string }) => a.uid) }
      if (!statusCovers(have, cmp))
        await ctx.client.patch(
          inNs(R.cronjobs, namespace),
          name,
          'merge',
          { status: { ...status, active: status.active.length ? status.active : null } },
          { subresource: 'status' },
        )
      return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined
    },
  })
  cronJobs.addHandler(enqueueSelf(c))
  jobs.addHandler(enqueueOwner(c, 'CronJob'))
  return c
}

function jobFromTemplate(cj: KubeObject, name: string, scheduled: number): KubeObject {
  const t = structuredClone(cj.spec?.jobTemplate ?? {})
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cj.metadata?.namespace,
      labels: t.metadata?.labels ?? {},
      annotations: { ...t.metadata?.annotations, [SCHEDULED_TIMESTAMP]: nowRfc3339(scheduled) },
      ownerReferences: [controllerRef(cj)],
    },
    spec: t.spec ?? {},
  }
}
