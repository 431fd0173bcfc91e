import { afterEach, expect, test } from 'bun:test'
import { eventually } from './lib/api-env.test-helper.ts'
import { R } from './lib/resources.ts'
import { type ControllerEnv, ns, openControllerEnv } from './workloads.test-helper.ts'

let env: ControllerEnv | undefined
afterEach(async () => {
  await env?.close()
  env = undefined
})

const cronJob = (extra: Record<string, unknown> = {}) => ({
  metadata: { name: 'tick' },
  spec: {
    schedule: '*/5 * * * *',
    jobTemplate: {
      metadata: { labels: { team: 'a' } },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    },
    ...extra,
  },
})

test('at its scheduled time a CronJob creates <name>-<minutes since epoch>, owned by it, listed in status.active', async () => {
  // the controllers' clock runs ten minutes ahead, so a */5 schedule is due at once
  const ahead = 10 * 60_000
  env = await openControllerEnv(['cronjob'], { now: () => Date.now() + ahead })
  const c = env.client
  await c.create(ns(R.cronjobs), cronJob())
  const job = await eventually('a job', async () => (await c.list<any>(ns(R.jobs))).items[0])
  const due = Math.floor((Date.now() + ahead) / 300_000) * 300_000
  expect(job.metadata.name).toBe(`tick-${due / 60_000}`)
  expect(job.metadata.labels.team).toBe('a')
  expect(job.metadata.ownerReferences[0]).toMatchObject({ kind: 'CronJob', name: 'tick', controller: true })
  expect(job.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(
    new Date(due).toISOString().replace('.000', ''),
  )
  const cj = await eventually('status', async () => {
    const cj = await c.get<any>(ns(R.cronjobs), 'tick')
    return cj.status?.active?.length === 1 && cj
  })
  expect(cj.status.active[0].name).toBe(job.metadata.name)
  expect(cj.status.lastScheduleTime).toBe(new Date(due).toISOString().replace('.000', ''))
})

test('a suspended CronJob creates nothing', async () => {
  env = await openControllerEnv(['cronjob'], { now: () => Date.now() + 10 * 60_000 })
  await env.client.create(ns(R.cronjobs), cronJob({ suspend: true }))
  await Bun.sleep(100)
  expect((await env.client.list(ns(R.jobs))).items).toEqual([])
})
