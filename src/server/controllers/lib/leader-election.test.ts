import { afterEach, expect, test } from 'bun:test'
import { type ApiEnv, eventually, openApiEnv } from './api-env.test-helper.ts'
import { type LeaderElection, runLeaderElection } from './leader-election.ts'

let env: ApiEnv | undefined
const elections: LeaderElection[] = []
afterEach(async () => {
  for (const e of elections.splice(0)) await e.stop()
  await env?.close()
})

const fast = { leaseDurationMs: 300, renewDeadlineMs: 200, retryPeriodMs: 20 }

test('a second candidate stands by while the first renews, and takes over when it stops', async () => {
  env = await openApiEnv()
  const led: string[] = []
  const a = runLeaderElection({
    client: env.client,
    identity: 'a',
    ...fast,
    onStartedLeading: () => void led.push('a'),
    onStoppedLeading() {},
  })
  elections.push(a)
  await eventually('a leads', () => a.isLeader())
  const b = runLeaderElection({
    client: env.client,
    identity: 'b',
    ...fast,
    onStartedLeading: () => void led.push('b'),
    onStoppedLeading() {},
  })
  elections.push(b)
  await Bun.sleep(150)
  expect(b.isLeader()).toBe(false)
  const lease = await env.client.get<any>(
    { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-system' },
    'kubun-controller-manager',
  )
  expect(lease.spec.holderIdentity).toBe('a')
  await a.stop()
  await eventually('b leads', () => b.isLeader())
  expect(led).toEqual(['a', 'b'])
})
