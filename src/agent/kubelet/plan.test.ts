import { describe, expect, test } from 'bun:test'
import type { Pod } from 'kubernetes-types/core/v1'
import type { RuntimeContainer } from '../runtime/runtime.ts'
import { ctr, NOW, pod, sandbox } from './fixtures.test-helper.ts'
import { type PlanAction, planPod } from './plan.ts'

const ready = () => true
const types = (a: PlanAction[]) => a.map((x) => x.type + ('name' in x ? `:${x.name}` : ''))

describe('planPod', () => {
  const cases: {
    name: string
    pod: Pod
    observed: RuntimeContainer[]
    netReady?: boolean
    unhealthy?: string[]
    want: string[]
    waiting?: string[]
  }[] = [
    { name: 'new pod gets a sandbox', pod: pod(), observed: [], want: ['createSandbox'] },
    {
      name: 'sandbox without network is replaced, containers killed',
      pod: pod(),
      observed: [sandbox('s0', 0), ctr('a', 'app')],
      netReady: false,
      want: ['killContainer:app', 'killSandbox', 'createSandbox'],
    },
    {
      name: 'dead sandbox → attempt+1, older dead sandboxes removed',
      pod: pod(),
      observed: [sandbox('s0', 0, 'exited'), sandbox('s1', 1, 'created')],
      want: ['removeContainer', 'createSandbox'],
    },
    { name: 'app container starts', pod: pod(), observed: [sandbox('s0', 0)], want: ['startContainer:app'] },
    { name: 'healthy running container: nothing', pod: pod(), observed: [sandbox('s0', 0), ctr('a', 'app')], want: [] },
    {
      name: 'adopted healthy pod keeps its containers',
      pod: pod({ containers: [{ name: 'app' }, { name: 'side' }] }),
      observed: [sandbox('s0', 0), ctr('a', 'app', { count: 3 }), ctr('b', 'side')],
      want: [],
    },
    {
      name: 'init containers run one at a time, in order',
      pod: pod({ initContainers: [{ name: 'i1' }, { name: 'i2' }] }),
      observed: [sandbox('s0', 0), ctr('x', 'i1', { state: 'exited', kind: 'init' })],
      want: ['startContainer:i2'],
    },
    {
      name: 'running init container blocks app containers',
      pod: pod({ initContainers: [{ name: 'i1' }] }),
      observed: [sandbox('s0', 0), ctr('x', 'i1', { kind: 'init' })],
      want: [],
    },
    {
      name: 'failed init container under Never fails the pod (sandbox stopped)',
      pod: pod({ restartPolicy: 'Never', initContainers: [{ name: 'i1' }] }),
      observed: [sandbox('s0', 0), ctr('x', 'i1', { kind: 'init', state: 'exited', exit: 1 })],
      want: ['killSandbox'],
    },
    {
      name: 'Always: first crash restarts at once',
      pod: pod(),
      observed: [sandbox('s0', 0), ctr('a', 'app', { state: 'exited', exit: 1 })],
      want: ['startContainer:app'],
    },
    {
      name: 'Always: second crash waits (CrashLoopBackOff)',
      pod: pod(),
      observed: [sandbox('s0', 0), ctr('a', 'app', { state: 'exited', exit: 1, count: 1, finished: NOW - 2000 })],
      want: [],
      waiting: ['app'],
    },
    {
      name: 'Always: back-off over → restart, older dead instance collected',
      pod: pod(),
      observed: [
        sandbox('s0', 0),
        ctr('a0', 'app', { state: 'exited', exit: 1, count: 0 }),
        ctr('a1', 'app', { state: 'exited', exit: 1, count: 1, finished: NOW - 11_000 }),
      ],
      want: ['startContainer:app', 'removeContainer'],
    },
    {
      name: 'OnFailure: success is not restarted',
      pod: pod({ restartPolicy: 'OnFailure', containers: [{ name: 'app' }, { name: 'b' }] }),
      observed: [sandbox('s0', 0), ctr('a', 'app', { state: 'exited', exit: 0 }), ctr('b', 'b')],
      want: [],
    },
    {
      name: 'Never: finished pod stops its sandbox',
      pod: pod({ restartPolicy: 'Never' }),
      observed: [sandbox('s0', 0), ctr('a', 'app', { state: 'exited', exit: 3 })],
      want: ['killSandbox'],
    },
    {
      name: 'a changed container spec restarts the container',
      pod: pod(),
      observed: [sandbox('s0', 0), ctr('a', 'app', { hash: 'old' })],
      want: ['killContainer:app'],
    },
    {
      name: 'liveness failure kills the container',
      pod: pod(),
      observed: [sandbox('s0', 0), ctr('a', 'app')],
      unhealthy: ['a'],
      want: ['killContainer:app'],
    },
    {
      name: 'deleted pod: containers stopped first',
      pod: pod({}, true),
      observed: [sandbox('s0', 0), ctr('a', 'app')],
      want: ['killContainer:app'],
    },
    {
      name: 'deleted pod: then the sandbox',
      pod: pod({}, true),
      observed: [sandbox('s0', 0), ctr('a', 'app', { state: 'exited' })],
      want: ['killSandbox'],
    },
    {
      name: 'deleted pod: then removal and finalize',
      pod: pod({}, true),
      observed: [sandbox('s0', 0, 'exited'), ctr('a', 'app', { state: 'exited' })],
      want: ['removeContainer', 'removeContainer', 'finalize'],
    },
    {
      name: 'old dead sandbox collected',
      pod: pod(),
      observed: [sandbox('s0', 0, 'exited'), sandbox('s1', 1), ctr('a', 'app', { sb: 's1' })],
      want: ['removeContainer'],
    },
    {
      name: 'new sandbox: restart count continues from the old one',
      pod: pod(),
      observed: [
        sandbox('s0', 0, 'exited'),
        sandbox('s1', 1),
        ctr('a', 'app', { sb: 's0', state: 'exited', count: 4 }),
      ],
      want: ['startContainer:app', 'removeContainer'],
    },
  ]
  for (const c of cases)
    test(c.name, () => {
      const p = planPod({
        pod: c.pod,
        observed: c.observed,
        now: NOW,
        networkReady: c.netReady === false ? () => false : ready,
        unhealthy: new Set(c.unhealthy ?? []),
      })
      expect(types(p.actions)).toEqual(c.want)
      expect(Object.keys(p.waiting)).toEqual(c.waiting ?? [])
    })

  test('restart count after a sandbox change', () => {
    const p = planPod({
      pod: pod(),
      observed: [
        sandbox('s0', 0, 'exited'),
        sandbox('s1', 1),
        ctr('a', 'app', { sb: 's0', state: 'exited', count: 4 }),
      ],
      now: NOW,
      networkReady: ready,
    })
    expect(p.actions[0]).toEqual({ type: 'startContainer', name: 'app', kind: 'app', restartCount: 5, sandboxId: 's1' })
  })

  test('back-off sets a wake-up time', () => {
    const p = planPod({
      pod: pod(),
      observed: [sandbox('s0', 0), ctr('a', 'app', { state: 'exited', exit: 1, count: 2, finished: NOW - 1000 })],
      now: NOW,
      networkReady: ready,
    })
    expect(p.wakeAt).toBe(NOW - 1000 + 20_000)
    expect(p.waiting.app.message).toBe('back-off 20s restarting failed container=app')
  })
})

test('a pod recorded Succeeded never starts again', () => {
  const p = { ...pod({ restartPolicy: 'Never' }), status: { phase: 'Succeeded' } }
  expect(planPod({ pod: p, observed: [], now: NOW, networkReady: () => true }).actions).toEqual([])
})
