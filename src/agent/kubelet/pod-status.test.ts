import { describe, expect, test } from 'bun:test'
import type { Pod } from 'kubernetes-types/core/v1'
import type { RuntimeContainer } from '../runtime/runtime.ts'
import { ctr, NOW, pod, sandbox } from './fixtures.test-helper.ts'
import type { Waiting } from './plan.ts'
import { podStatus, qosClass } from './pod-status.ts'

function status(
  p: Pod,
  observed: RuntimeContainer[],
  o: { waiting?: Record<string, Waiting>; unready?: string[] } = {},
) {
  return podStatus({
    pod: p,
    observed,
    waiting: o.waiting ?? {},
    ready: (id) => (o.unready?.includes(id) ? false : undefined),
    started: () => true,
    sandboxReady: observed.some((c) => c.labels['io.kubernetes.docker.type'] === 'podsandbox' && c.state === 'running'),
    podIPs: ['10.42.0.5'],
    hostIPs: ['192.168.1.2'],
    now: NOW,
  })
}
const cond = (s: ReturnType<typeof status>, t: string) => s.conditions?.find((c) => c.type === t)?.status

describe('podStatus', () => {
  test('new pod: Pending, ContainerCreating, not ready', () => {
    const s = status(pod(), [])
    expect(s.phase).toBe('Pending')
    expect(s.containerStatuses?.[0].state?.waiting?.reason).toBe('ContainerCreating')
    expect(cond(s, 'Ready')).toBe('False')
    expect(cond(s, 'PodReadyToStartContainers')).toBe('False')
  })

  test('running container: Running, Ready, IPs, QoS', () => {
    const s = status(pod(), [sandbox('s0', 0), ctr('a', 'app')])
    expect(s.phase).toBe('Running')
    expect(s.containerStatuses?.[0]).toMatchObject({
      ready: true,
      started: true,
      restartCount: 0,
      containerID: 'docker://a',
    })
    expect(cond(s, 'Ready')).toBe('True')
    expect(cond(s, 'ContainersReady')).toBe('True')
    expect(s.podIP).toBe('10.42.0.5')
    expect(s.hostIP).toBe('192.168.1.2')
    expect(s.qosClass).toBe('BestEffort')
  })

  test('readiness probe failing: not Ready', () => {
    const s = status(pod(), [sandbox('s0', 0), ctr('a', 'app')], { unready: ['a'] })
    expect(s.phase).toBe('Running')
    expect(cond(s, 'Ready')).toBe('False')
    expect(s.conditions?.find((c) => c.type === 'Ready')?.message).toBe('containers with unready status: [app]')
  })

  test('crash loop: waiting CrashLoopBackOff, lastState terminated Error, restartCount', () => {
    const s = status(pod(), [sandbox('s0', 0), ctr('a', 'app', { state: 'exited', exit: 2, count: 3 })], {
      waiting: { app: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } },
    })
    const c = s.containerStatuses?.[0]
    expect(c?.state?.waiting?.reason).toBe('CrashLoopBackOff')
    expect(c?.lastState?.terminated).toMatchObject({ exitCode: 2, reason: 'Error' })
    expect(c?.restartCount).toBe(3)
    expect(s.phase).toBe('Running')
  })

  test('restarted container shows the previous run as lastState', () => {
    const s = status(pod(), [
      sandbox('s0', 0),
      ctr('a0', 'app', { state: 'exited', exit: 137 }),
      ctr('a1', 'app', { count: 1 }),
    ])
    expect(s.containerStatuses?.[0].lastState?.terminated?.exitCode).toBe(137)
    expect(s.containerStatuses?.[0].restartCount).toBe(1)
  })

  test.each([
    ['Never', 0, 'Succeeded', 'Completed'],
    ['Never', 1, 'Failed', 'Error'],
    ['OnFailure', 0, 'Succeeded', 'Completed'],
  ])('restartPolicy %s, exit %i → %s', (policy, exit, phase, reason) => {
    const s = status(pod({ restartPolicy: policy }), [
      sandbox('s0', 0, 'exited'),
      ctr('a', 'app', { state: 'exited', exit }),
    ])
    expect(s.phase).toBe(phase)
    expect(s.containerStatuses?.[0].state?.terminated?.reason).toBe(reason)
  })

  test('OOM kill reported', () => {
    const dead = { ...ctr('a', 'app', { state: 'exited', exit: 137 }), oomKilled: true }
    const s = status(pod({ restartPolicy: 'Never' }), [sandbox('s0', 0, 'exited'), dead])
    expect(s.containerStatuses?.[0].state?.terminated?.reason).toBe('OOMKilled')
  })

  test('init container running: Pending, Initialized False, app PodInitializing', () => {
    const s = status(pod({ initContainers: [{ name: 'i1' }] }), [sandbox('s0', 0), ctr('x', 'i1', { kind: 'init' })])
    expect(s.phase).toBe('Pending')
    expect(cond(s, 'Initialized')).toBe('False')
    expect(s.containerStatuses?.[0].state?.waiting?.reason).toBe('PodInitializing')
    expect(s.initContainerStatuses?.[0].state?.running).toBeDefined()
  })

  test('image errors surface as waiting reasons', () => {
    const s = status(pod(), [sandbox('s0', 0)], { waiting: { app: { reason: 'ErrImageNeverPull', message: 'x' } } })
    expect(s.containerStatuses?.[0].state?.waiting?.reason).toBe('ErrImageNeverPull')
    expect(s.phase).toBe('Pending')
  })
})

test.each([
  [[{ name: 'a' }], 'BestEffort'],
  [[{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }], 'Guaranteed'],
  [[{ name: 'a', resources: { requests: { cpu: '1' } } }], 'Burstable'],
])('qosClass %j → %s', (containers, want) => {
  expect(qosClass({ spec: { containers } } as Pod)).toBe(want)
})
