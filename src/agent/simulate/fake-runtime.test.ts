// The fake runtime's state machine and the pod status it renders.
import { describe, expect, test } from 'bun:test'
import type { Pod } from 'kubernetes-types/core/v1'
import { advance, FAIL_ANNOTATION, renderStatus, startRun } from './fake-runtime.ts'
import { parseLabel, parseTaint } from './node-object.ts'
import { PodIps } from './pod-ips.ts'
import { podStatus } from './pod-status.ts'
import { statusDiffers } from './status-diff.ts'

const pod = (restartPolicy: string, fail?: string, extra: Record<string, unknown> = {}): Pod => ({
  metadata: {
    name: 'p',
    namespace: 'default',
    uid: 'u1',
    ...(fail ? { annotations: { [FAIL_ANNOTATION]: fail } } : {}),
  },
  spec: {
    restartPolicy,
    containers: [
      { name: 'a', image: 'x' },
      { name: 'b', image: 'y' },
    ],
    ...extra,
  } as Pod['spec'],
})

const after = (p: Pod, ms: number) => {
  const run = startRun(p, '10.42.0.2', 0, 1000)
  advance(run, ms, 1000)
  return renderStatus(run)
}

describe('fake runtime', () => {
  test.each<[string, string, string | undefined, number, string, number[]]>([
    ['Always runs forever', 'Always', undefined, 10_000, 'Running', [0, 0]],
    ['Never completes after complete-after', 'Never', undefined, 1000, 'Succeeded', [0, 0]],
    ['Never is still running before', 'Never', undefined, 999, 'Running', [0, 0]],
    ['OnFailure completes too', 'OnFailure', undefined, 1500, 'Succeeded', [0, 0]],
    ['Never + fail annotation fails the pod', 'Never', 'true', 1000, 'Failed', [0, 0]],
    ['OnFailure + fail restarts', 'OnFailure', 'true', 3500, 'Running', [3, 3]],
    ['Always + fail crash-loops', 'Always', 'true', 2000, 'Running', [2, 2]],
    ['failing only container b', 'Always', 'b', 2000, 'Running', [0, 2]],
  ])('%s', (_n, policy, fail, at, phase, restarts) => {
    const s = after(pod(policy, fail), at)
    expect(s.phase).toBe(phase as any)
    expect(s.containerStatuses.map((c) => c.restartCount)).toEqual(restarts)
  })

  test('a failed container reports exit 1 with reason Error; last state kept on restart', () => {
    const failed = after(pod('Never', 'true'), 1000)
    expect(failed.containerStatuses[0].state?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' })
    const looping = after(pod('Always', 'true'), 1000)
    expect(looping.containerStatuses[0].lastState?.terminated?.exitCode).toBe(1)
    expect(looping.containerStatuses[0].state?.running).toBeDefined()
  })
})

describe('pod status', () => {
  const running = after(pod('Always'), 0)
  test('running pod: Ready, IPs, conditions', () => {
    const s = podStatus(pod('Always'), running, '10.254.0.1', 0) as any
    expect(s.phase).toBe('Running')
    expect(s.podIP).toBe('10.42.0.2')
    expect(Object.fromEntries(s.conditions.map((c: any) => [c.type, c.status]))).toMatchObject({
      PodScheduled: 'True',
      Initialized: 'True',
      ContainersReady: 'True',
      Ready: 'True',
    })
  })
  test('readiness gates hold Ready until their condition is True', () => {
    const gated = pod('Always', undefined, { readinessGates: [{ conditionType: 'example.com/lb' }] })
    const ready = (p: Pod) => (podStatus(p, running, 'h', 0) as any).conditions.find((c: any) => c.type === 'Ready')
    expect(ready(gated).status).toBe('False')
    expect(ready(gated).reason).toBe('ReadinessGatesNotReady')
    const passed = { ...gated, status: { conditions: [{ type: 'example.com/lb', status: 'True' }] } }
    expect(ready(passed).status).toBe('True')
  })
  test('our own status coming back is not rewritten', () => {
    const s = podStatus(pod('Always'), running, 'h', 0)
    expect(statusDiffers(s, podStatus(pod('Always'), running, 'h', 5000))).toBe(false)
    expect(statusDiffers({ ...s, phase: 'Pending' }, s)).toBe(true)
  })
})

describe('node bits', () => {
  test('pod IPs skip the gateway and are reused after release', () => {
    const ips = new PodIps('10.42.3.0/24')
    expect([ips.allocate(), ips.allocate()]).toEqual(['10.42.3.2', '10.42.3.3'])
    ips.release('10.42.3.2')
    expect(ips.allocate()).toBe('10.42.3.2')
  })
  test.each([
    ['dedicated=gpu:NoSchedule', { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
    ['special:NoExecute', { key: 'special', effect: 'NoExecute' }],
  ])('taint %p', (t, want) => expect(parseTaint(t)).toEqual(want))
  test('bad taint and label say what to write', () => {
    expect(() => parseTaint('x=y')).toThrow(/key=value:Effect/)
    expect(() => parseLabel('novalue')).toThrow(/key=value/)
    expect(parseLabel('a=b=c')).toEqual(['a', 'b=c'])
  })
})
