// The fake runtime's state machine and the pod status it renders.
import { describe, expect, test } from 'bun:test'
import type { Pod } from 'kubernetes-types/core/v1'
import { advance, FAIL_ANNOTATION, FakeRuntime, nextChange, renderStatus, startRun } from './fake-runtime.ts'
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

/** the pod's runtime status `ms` after it started: containers run 1 s, back-off base 10 s unless given */
const after = (p: Pod, ms: number, crashBackoffMs = 10_000) => {
  const run = startRun(p, '10.42.0.2', 0, 1000)
  advance(run, ms, { completeAfterMs: 1000, crashBackoffMs })
  return renderStatus(run)
}
const stateOf = (c: { state?: object }) => Object.keys(c.state ?? {})[0]

describe('fake runtime', () => {
  // back-off base 100 ms: exits at 1000 (restart at once), 2000 (wait 100), 3100 (wait 200), 4300 (wait 400)
  test.each<[string, string, string | undefined, number, string, number[], string[]]>([
    ['Always runs forever', 'Always', undefined, 10_000, 'Running', [0, 0], ['running', 'running']],
    [
      'Never completes after complete-after',
      'Never',
      undefined,
      1000,
      'Succeeded',
      [0, 0],
      ['terminated', 'terminated'],
    ],
    ['Never is still running before', 'Never', undefined, 999, 'Running', [0, 0], ['running', 'running']],
    ['OnFailure completes too', 'OnFailure', undefined, 1500, 'Succeeded', [0, 0], ['terminated', 'terminated']],
    ['Never + fail annotation fails the pod', 'Never', 'true', 1000, 'Failed', [0, 0], ['terminated', 'terminated']],
    ['OnFailure + fail restarts', 'OnFailure', 'true', 3500, 'Running', [3, 3], ['running', 'running']],
    ['Always + fail: first restart at once', 'Always', 'true', 1500, 'Running', [1, 1], ['running', 'running']],
    ['Always + fail: then backs off', 'Always', 'true', 2050, 'Running', [1, 1], ['waiting', 'waiting']],
    ['Always + fail crash-loops, restarts growing', 'Always', 'true', 4500, 'Running', [3, 3], ['waiting', 'waiting']],
    ['failing only container b', 'Always', 'b', 4000, 'Running', [0, 3], ['running', 'running']],
  ])('%s', (_n, policy, fail, at, phase, restarts, states) => {
    const s = after(pod(policy, fail), at, 100)
    expect(s.phase).toBe(phase as any)
    expect(s.containerStatuses.map((c) => c.restartCount)).toEqual(restarts)
    expect(s.containerStatuses.map(stateOf)).toEqual(states)
  })

  // base 10 s, as the kubelet: 0 run, 1000 exit → restart; 2000 exit → wait 10 s; 12000 run; 13000 exit →
  // wait 20 s; 33000 run; 34000 exit → wait 40 s
  test.each<[number, number, string, string | undefined]>([
    [500, 0, 'running', undefined],
    [1500, 1, 'running', undefined],
    [2000, 1, 'waiting', 'back-off 10s'],
    [11_999, 1, 'waiting', 'back-off 10s'],
    [12_000, 2, 'running', undefined],
    [13_000, 2, 'waiting', 'back-off 20s'],
    [33_500, 3, 'running', undefined],
    [34_000, 3, 'waiting', 'back-off 40s'],
  ])('crash loop at %i ms: restartCount %i, %s %s', (at, count, state, message) => {
    const c = after(pod('Always', 'a'), at).containerStatuses[0]
    expect([c.restartCount, stateOf(c)]).toEqual([count, state])
    if (message) expect(c.state?.waiting?.message).toStartWith(`${message} restarting failed container=a`)
  })

  test.each<[string, number, number[]]>([
    ['doubles from the base up to 30× the base (10 s to 5 min)', 1000, [0, 10, 20, 40, 80, 160, 300, 300]],
    ['a container that ran 10 min starts over at once every time', 600_000, [0, 0, 0, 0, 0, 0, 0, 0]],
    ['one that ran just under 10 min backs off', 599_999, [0, 10, 20, 40, 80, 160, 300, 300]],
  ])('back-off schedule: %s', (_n, runMs, wantSeconds) => {
    const timing = { completeAfterMs: runMs, crashBackoffMs: 10_000 }
    const run = startRun(pod('Always', 'a'), 'ip', 0, runMs)
    const waits: number[] = []
    let now = 0
    while (waits.length < wantSeconds.length) {
      now = nextChange(run)!
      advance(run, now, timing)
      const c = run.containers[0]
      // an exit either restarted at once (running again) or went into back-off
      if (c.startedAt === now) waits.push(0)
      else if (c.waitingUntil !== undefined) {
        waits.push((c.waitingUntil - now) / 1000)
        advance(run, c.waitingUntil, timing)
      }
    }
    expect(waits).toEqual(wantSeconds)
  })

  test('a backing-off container: waiting CrashLoopBackOff, the dead instance as lastState, not ready', () => {
    const c = after(pod('Always', 'true'), 2000).containerStatuses[0]
    expect(c).toEqual({
      name: 'a',
      image: 'x',
      imageID: 'fake://x',
      containerID: 'fake://u1-a-1',
      ready: false,
      started: false,
      restartCount: 1,
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: 'back-off 10s restarting failed container=a pod=p_default(u1)',
        },
      },
      lastState: {
        terminated: {
          exitCode: 1,
          reason: 'Error',
          startedAt: '1970-01-01T00:00:01Z',
          finishedAt: '1970-01-01T00:00:02Z',
          containerID: 'fake://u1-a-1',
        },
      },
    })
  })

  test('each back-off is reported once, for BackOff events; the pod wakes when it ends', () => {
    let now = 0
    const rt = new FakeRuntime(1000, () => now, 10_000)
    const p = pod('Always', 'b')
    rt.startPod(p, 'ip')
    now = 2000
    rt.status(p)
    expect(rt.takeBackoffs('u1')).toEqual(['b'])
    expect(rt.takeBackoffs('u1')).toEqual([])
    expect(rt.nextChangeAt('u1')).toBe(12_000)
    now = 12_000
    expect(stateOf(rt.status(p)!.containerStatuses[1])).toBe('running')
    expect(rt.status(p)!.containerStatuses[1].restartCount).toBe(2)
  })

  test('a failed container reports exit 1 with reason Error; last state kept on restart', () => {
    const failed = after(pod('Never', 'true'), 1000)
    expect(failed.containerStatuses[0].state?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' })
    const looping = after(pod('Always', 'true'), 1500)
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
  test('a crash-looping pod stays Running but not Ready, naming the unready containers', () => {
    const s = podStatus(pod('Always', 'b'), after(pod('Always', 'b'), 2000), 'h', 0) as any
    expect(s.phase).toBe('Running')
    const conds = Object.fromEntries(s.conditions.map((c: any) => [c.type, c]))
    for (const t of ['ContainersReady', 'Ready'])
      expect(conds[t]).toMatchObject({
        status: 'False',
        reason: 'ContainersNotReady',
        message: 'containers with unready status: [b]',
      })
    expect(statusDiffers(podStatus(pod('Always'), running, 'h', 0), s)).toBe(true)
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
