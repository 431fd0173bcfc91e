import { expect, test } from 'bun:test'
import { formatIndexes, parseIndexes, planJob, TRACKING_FINALIZER } from './job-plan.ts'

const now = Date.parse('2026-01-01T01:00:00Z')
const job = (spec: Record<string, unknown>, status: Record<string, unknown> = {}) => ({
  metadata: { name: 'pi', uid: 'j1' },
  spec: { parallelism: 1, backoffLimit: 6, ...spec },
  status: { startTime: '2026-01-01T00:59:00Z', ...status },
})
const pod = (name: string, phase: string, o: { index?: number; tracked?: boolean } = {}) => ({
  metadata: {
    name,
    uid: `u-${name}`,
    finalizers: o.tracked === false ? [] : [TRACKING_FINALIZER],
    ...(o.index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': String(o.index) } } : {}),
    creationTimestamp: '2026-01-01T00:00:00Z',
  },
  status: { phase },
})

test.each([
  { name: 'starts parallelism pods', j: job({ completions: 5, parallelism: 2 }), pods: [], create: 2 },
  {
    name: 'never more than the completions left',
    j: job({ completions: 3, parallelism: 5 }, { succeeded: 2 }),
    pods: [],
    create: 1,
  },
  {
    name: 'work queue (no completions): none after a success',
    j: job({ parallelism: 2 }, { succeeded: 1 }),
    pods: [pod('a', 'Running')],
    create: 0,
  },
  {
    name: 'tops up after a running pod',
    j: job({ completions: 4, parallelism: 2 }),
    pods: [pod('a', 'Running')],
    create: 1,
  },
])('$name', ({ j, pods, create }) => {
  expect(planJob(j, [...pods], now).create).toHaveLength(create)
})

test('a finished pod is recorded as uncounted and released; counted once its finalizer is gone', () => {
  const first = planJob(job({ completions: 2 }), [pod('a', 'Succeeded')], now)
  expect(first.status.uncountedTerminatedPods).toEqual({ succeeded: ['u-a'], failed: [] })
  expect(first.release.map((p) => p.metadata?.name)).toEqual(['a'])
  expect(first.status.succeeded).toBe(0)
  const second = planJob(job({ completions: 2 }, first.status), [pod('a', 'Succeeded', { tracked: false })], now)
  expect(second.status.succeeded).toBe(1)
  expect(second.status.uncountedTerminatedPods).toEqual({ succeeded: [], failed: [] })
})

test('success adds SuccessCriteriaMet and Complete with completionTime; the back-off limit fails the Job', () => {
  const done = planJob(job({ completions: 1 }, { succeeded: 1 }), [], now)
  expect(done.status.conditions.map((c: any) => c.type)).toEqual(['SuccessCriteriaMet', 'Complete'])
  expect(done.status.completionTime).toBe('2026-01-01T01:00:00Z')
  const failed = planJob(job({ backoffLimit: 1 }, { failed: 2 }), [pod('a', 'Running')], now)
  expect(failed.delete.map((p) => p.metadata?.name)).toEqual(['a'])
  expect(failed.status.conditions.map((c: any) => [c.type, c.reason])).toEqual([
    ['FailureTarget', 'BackoffLimitExceeded'],
  ])
  const over = planJob(job({ backoffLimit: 1 }, { failed: 2, conditions: failed.status.conditions }), [], now)
  expect(over.status.conditions.map((c: any) => c.type)).toEqual(['FailureTarget', 'Failed'])
})

test('restartPolicy OnFailure: container restarts count against backoffLimit', () => {
  const onFailure = (limit: number) =>
    job({ backoffLimit: limit, template: { spec: { restartPolicy: 'OnFailure', containers: [] } } })
  const restarting = (n: number) => ({
    ...pod('a', 'Running'),
    status: { phase: 'Running', containerStatuses: [{ name: 'c', restartCount: n }] },
  })
  const reason = (p: ReturnType<typeof planJob>) => p.status.conditions?.[0]?.reason
  expect(reason(planJob(onFailure(2), [restarting(1)], now))).toBeUndefined()
  expect(reason(planJob(onFailure(2), [restarting(2)], now))).toBe('BackoffLimitExceeded')
  expect(reason(planJob(onFailure(0), [restarting(1)], now))).toBe('BackoffLimitExceeded')
  expect(reason(planJob(job({ backoffLimit: 2 }), [restarting(5)], now))).toBeUndefined()
})

test('activeDeadlineSeconds exceeded is DeadlineExceeded', () => {
  const p = planJob(job({ activeDeadlineSeconds: 30 }), [pod('a', 'Running')], now)
  expect(p.status.conditions[0]).toMatchObject({ type: 'FailureTarget', reason: 'DeadlineExceeded' })
})

test('Indexed mode creates the missing indexes and records completed ones', () => {
  const p = planJob(
    job({ completions: 4, parallelism: 3, completionMode: 'Indexed' }),
    [pod('a', 'Succeeded', { index: 0 }), pod('b', 'Running', { index: 1 })],
    now,
  )
  expect(p.create).toEqual([2, 3])
  expect(p.status.completedIndexes).toBe('0')
  expect(formatIndexes(parseIndexes('1,3-5,7'))).toBe('1,3-5,7')
})

test('ttlSecondsAfterFinished deletes the Job when due', () => {
  const finished = { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: '2026-01-01T00:59:00Z' }] }
  expect(planJob(job({ ttlSecondsAfterFinished: 30 }, finished), [], now).deleteJob).toBe(true)
  expect(planJob(job({ ttlSecondsAfterFinished: 120 }, finished), [], now).requeueAfterMs).toBe(60_000)
})
