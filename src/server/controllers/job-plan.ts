// The Job plan (upstream pkg/controller/job): pods to create (by completion index in Indexed mode),
// pods to delete, the finished pods to count, conditions and status. Counting follows the
// job-tracking finalizer protocol: a finished pod's uid goes to status.uncountedTerminatedPods, its
// finalizer is removed, and only then is it moved into succeeded/failed — so no pod is counted twice.
import type { KubeObject } from '../registry/types.ts'
import { isPodReady, nowRfc3339, type Pod } from './lib/pods.ts'

export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking'
export const INDEX_KEY = 'batch.kubernetes.io/job-completion-index'

export interface JobPlan {
  /** completion indexes (Indexed) or undefined entries (NonIndexed) of pods to create */
  create: (number | undefined)[]
  delete: Pod[]
  /** finished pods whose tracking finalizer can go (their uid is in the status written first) */
  release: Pod[]
  status: Record<string, any>
  events: { type: 'Normal' | 'Warning'; reason: string; message: string }[]
  requeueAfterMs?: number
  /** ttlSecondsAfterFinished has passed */
  deleteJob?: boolean
}

const hasFinalizer = (p: Pod) => (p.metadata?.finalizers ?? []).includes(TRACKING_FINALIZER)
export const podIndex = (p: Pod): number | undefined => {
  const v = p.metadata?.annotations?.[INDEX_KEY] ?? p.metadata?.labels?.[INDEX_KEY]
  return v === undefined || !/^\d+$/.test(v) ? undefined : Number(v)
}
export const finishedCondition = (job: KubeObject) =>
  (job.status?.conditions ?? []).find(
    (c: { type: string; status: string }) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  )

/** "1,3-5" ⇄ sets of completion indexes (status.completedIndexes). */
export function parseIndexes(s: string | undefined): Set<number> {
  const out = new Set<number>()
  for (const part of (s ?? '').split(',').filter(Boolean)) {
    const [a, b] = part.split('-').map(Number)
    for (let i = a; i <= (b ?? a); i++) out.add(i)
  }
  return out
}
export function formatIndexes(set: Set<number>): string {
  const xs = [...set].sort((a, b) => a - b)
  const parts: string[] = []
  for (let i = 0; i < xs.length; ) {
    let j = i
    while (j + 1 < xs.length && xs[j + 1] === xs[j] + 1) j++
    parts.push(i === j ? String(xs[i]) : `${xs[i]}-${xs[j]}`)
    i = j + 1
  }
  return parts.join(',')
}

const cond = (type: string, reason: string, message: string, now: string) => ({
  type,
  status: 'True',
  lastProbeTime: now,
  lastTransitionTime: now,
  reason,
  message,
})

export interface JobTimings {
  /** first pod re-creation delay after a failure (upstream 10 s, doubling, capped at 6 min) */
  backoffBaseMs?: number
  backoffMaxMs?: number
}

export function planJob(job: KubeObject, pods: Pod[], nowMs: number, t: JobTimings = {}): JobPlan {
  const now = nowRfc3339(nowMs)
  const spec = job.spec ?? {}
  const old = job.status ?? {}
  const plan: JobPlan = { create: [], delete: [], release: [], status: {}, events: [] }
  const uncounted = {
    succeeded: [...(old.uncountedTerminatedPods?.succeeded ?? [])] as string[],
    failed: [...(old.uncountedTerminatedPods?.failed ?? [])] as string[],
  }
  let succeeded = old.succeeded ?? 0
  let failed = old.failed ?? 0
  const completed = parseIndexes(old.completedIndexes)
  const byUid = new Map(pods.map((p) => [p.metadata?.uid, p]))
  // uncounted pods whose finalizer is gone (or the pod itself) are counted now
  for (const kind of ['succeeded', 'failed'] as const) {
    uncounted[kind] = uncounted[kind].filter((uid) => {
      const p = byUid.get(uid)
      if (p && hasFinalizer(p)) {
        plan.release.push(p)
        return true
      }
      if (kind === 'succeeded') succeeded++
      else failed++
      return false
    })
  }
  const known = new Set([...uncounted.succeeded, ...uncounted.failed])
  let lastFailure = 0
  for (const p of pods) {
    if (!hasFinalizer(p) || known.has(p.metadata?.uid ?? '')) continue
    const phase = p.status?.phase
    // a pod deleted before finishing counts as failed (and must not keep its finalizer forever)
    const kind =
      phase === 'Succeeded' ? 'succeeded' : phase === 'Failed' || p.metadata?.deletionTimestamp ? 'failed' : undefined
    if (!kind) continue
    uncounted[kind].push(p.metadata!.uid!)
    plan.release.push(p)
    if (kind === 'succeeded') {
      const i = podIndex(p)
      if (i !== undefined) completed.add(i)
    } else lastFailure = Math.max(lastFailure, finishTime(p))
  }
  const active = pods.filter(
    (p) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
  )
  const totalSucceeded = succeeded + uncounted.succeeded.length
  const totalFailed = failed + uncounted.failed.length
  const indexed = spec.completionMode === 'Indexed'
  const completions: number | undefined = spec.completions ?? undefined
  const parallelism: number = spec.parallelism ?? 1
  let conditions: any[] = structuredClone(old.conditions ?? [])
  const has = (type: string) => conditions.some((c) => c.type === type && c.status === 'True')
  const add = (type: string, reason: string, message: string) => {
    if (!has(type)) conditions = [...conditions.filter((c) => c.type !== type), cond(type, reason, message, now)]
  }
  const startTime = old.startTime ?? (spec.suspend ? undefined : now)
  const finished = finishedCondition(job)

  if (!finished) {
    // failure first: deadline, then back-off limit
    const failure = has('FailureTarget')
      ? undefined
      : spec.activeDeadlineSeconds !== undefined &&
          startTime &&
          Date.parse(startTime) + spec.activeDeadlineSeconds * 1000 <= nowMs
        ? { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' }
        : totalFailed > (spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(spec, active)
          ? { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }
          : undefined
    if (failure) {
      add('FailureTarget', failure.reason, failure.message)
      plan.events.push({ type: 'Warning', reason: failure.reason, message: failure.message })
    }
    const successReached = indexed
      ? completions !== undefined && completed.size >= completions
      : completions !== undefined
        ? totalSucceeded >= completions
        : totalSucceeded > 0
    if (!has('FailureTarget') && successReached)
      add('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods')

    if (has('FailureTarget') || has('SuccessCriteriaMet') || spec.suspend) {
      plan.delete = active
      const terminating = pods.some(
        (p) => p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
      )
      const allCounted = uncounted.succeeded.length === 0 && uncounted.failed.length === 0
      if (active.length === 0 && !terminating && !spec.suspend && allCounted) {
        const target = conditions.find((c) => c.type === 'FailureTarget' && c.status === 'True')
        if (target) add('Failed', target.reason, target.message)
        else {
          add('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods')
          plan.events.push({ type: 'Normal', reason: 'Completed', message: 'Job completed' })
        }
      }
    } else {
      // create up to parallelism, never more than the completions still missing
      let want = parallelism
      if (!indexed && completions !== undefined) want = Math.min(want, completions - totalSucceeded)
      if (!indexed && completions === undefined && totalSucceeded > 0) want = 0
      const toCreate = Math.max(0, want - active.length)
      const failures = totalFailed
      const delay =
        failures > 0 ? Math.min(t.backoffMaxMs ?? 360_000, (t.backoffBaseMs ?? 10_000) * 2 ** (failures - 1)) : 0
      const lf = Math.max(lastFailure, lastFailureTime(pods))
      const wait = lf ? lf + delay - nowMs : 0
      if (toCreate > 0 && wait > 0) plan.requeueAfterMs = wait
      else if (indexed) {
        const activeIdx = new Set(active.map(podIndex))
        for (let i = 0; i < (completions ?? 0) && plan.create.length < toCreate; i++)
          if (!completed.has(i) && !activeIdx.has(i)) plan.create.push(i)
        // two active pods for one index: keep one
        const seen = new Set<number>()
        for (const p of active) {
          const i = podIndex(p)
          if (i === undefined || i >= (completions ?? 0) || completed.has(i) || seen.has(i)) plan.delete.push(p)
          else seen.add(i)
        }
      } else {
        for (let i = 0; i < toCreate; i++) plan.create.push(undefined)
        // parallelism lowered: delete the surplus
        if (active.length > want) plan.delete = active.slice(0, active.length - want)
      }
    }
    if (spec.suspend && !has('Suspended'))
      conditions = [
        ...conditions.filter((c) => c.type !== 'Suspended'),
        cond('Suspended', 'JobSuspended', 'Job suspended', now),
      ]
    if (!spec.suspend && has('Suspended'))
      conditions = conditions.map((c) =>
        c.type === 'Suspended'
          ? { ...c, status: 'False', reason: 'JobResumed', message: 'Job resumed', lastTransitionTime: now }
          : c,
      )
    if (spec.activeDeadlineSeconds !== undefined && startTime && !has('FailureTarget')) {
      const left = Date.parse(startTime) + spec.activeDeadlineSeconds * 1000 - nowMs
      if (left > 0) plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? left, left)
    }
  } else {
    // finished: nothing runs any more; ttlSecondsAfterFinished deletes the Job
    plan.delete = active
    if (spec.ttlSecondsAfterFinished !== undefined) {
      const at = Date.parse(finished.lastTransitionTime ?? now) + spec.ttlSecondsAfterFinished * 1000
      if (at <= nowMs) plan.deleteJob = true
      else plan.requeueAfterMs = at - nowMs
    }
  }

  const done = conditions.find((c) => c.type === 'Complete' && c.status === 'True')
  plan.status = {
    ...(conditions.length ? { conditions } : {}),
    ...(startTime ? { startTime } : {}),
    ...(done ? { completionTime: old.completionTime ?? done.lastTransitionTime } : {}),
    active: active.length - plan.delete.filter((p) => active.includes(p)).length + plan.create.length,
    ready: active.filter(isPodReady).length,
    succeeded,
    failed,
    terminating: pods.filter(
      (p) => p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
    ).length,
    uncountedTerminatedPods: uncounted,
    ...(indexed ? { completedIndexes: formatIndexes(completed) } : {}),
  }
  return plan
}

function finishTime(p: Pod): number {
  let t = 0
  for (const c of p.status?.containerStatuses ?? []) {
    const f = Date.parse(c.state?.terminated?.finishedAt ?? '')
    if (!Number.isNaN(f)) t = Math.max(t, f)
  }
  if (!t) {
    const ready = (p.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready')
    t = Date.parse(ready?.lastTransitionTime ?? '') || Date.parse(p.metadata?.creationTimestamp ?? '') || 0
  }
  return t
}

function lastFailureTime(pods: Pod[]): number {
  let t = 0
  for (const p of pods) if (p.status?.phase === 'Failed') t = Math.max(t, finishTime(p))
  return t
}

/** upstream pastBackoffLimitOnFailure: with restartPolicy OnFailure the kubelet restarts containers in
 * place, so their restarts (in running and pending pods) count against backoffLimit */
export function pastBackoffLimitOnFailure(spec: KubeObject, active: Pod[]): boolean {
  if (spec.template?.spec?.restartPolicy !== 'OnFailure') return false
  let restarts = 0
  for (const p of active) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue
    for (const c of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])])
      restarts += c.restartCount ?? 0
  }
  const limit = spec.backoffLimit ?? 6
  return limit === 0 ? restarts > 0 : restarts >= limit
}
