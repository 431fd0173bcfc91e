// The control plane on simulated nodes, driven with the real kubectl only (as the acceptance scenario):
// `kubun server --disable-agent` with short node-monitor and toleration times, plus `kubun simulate`
// processes. Nodes become Ready, a Deployment rolls out, nodeSelector / affinity / taints are honoured,
// an unfit pod stays Pending with FailedScheduling, and a killed simulator's pods move to another.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { until as waitUntil } from '../support/until.ts'
import { KUBECTL_132, startTestServer, type TestServer } from './kubectl-harness.ts'

const repo = resolve(import.meta.dir, '../..')
let server: TestServer
const sims: { proc: ReturnType<typeof Bun.spawn>; log: () => string }[] = []

async function simulate(args: string[]) {
  const token = readFileSync(join(server.dir, 'data/server/node-token'), 'utf8').trim()
  const proc = Bun.spawn(
    [
      process.execPath,
      'src/main.ts',
      'simulate',
      '--server',
      `https://127.0.0.1:${server.port}`,
      '--token',
      token,
      '--lease-renew-interval',
      '1s',
      '--complete-after',
      '500ms',
      '--crash-backoff',
      '300ms',
      ...args,
    ],
    { cwd: repo, stdout: 'pipe', stderr: 'pipe', env: { ...process.env, KUBUN_LOG_LEVEL: 'info' } },
  )
  let log = ''
  const sim = { proc, log: () => log }
  sims.push(sim)
  const reader = proc.stderr.getReader()
  const dec = new TextDecoder()
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulate not ready after 30s:\n${log}`)), 30_000)
    ;(async () => {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) {
          clearTimeout(timer)
          reject(new Error(`simulate exited:\n${log}`))
          return
        }
        log += dec.decode(value)
        if (log.includes('simulated nodes registered')) {
          clearTimeout(timer)
          resolve()
        }
      }
    })()
  })
  return sim
}

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, ms = 40_000) =>
  waitUntil(what, fn, { ms, intervalMs: 250, log: () => server.log() })

const podJson = async (name: string) => JSON.parse(await server.ok(['get', 'pod', name, '-o', 'json']))

beforeAll(async () => {
  server = await startTestServer({
    kubectl: KUBECTL_132,
    args: ['--node-monitor-grace-period', '5s', '--default-unreachable-toleration-seconds', '5'],
  })
  await simulate(['--nodes', '3', '--node-prefix', 'a-', '--node-label', 'pool=a'])
  await simulate([
    '--nodes',
    '1',
    '--node-prefix',
    't-',
    '--node-label',
    'pool=t',
    '--node-taint',
    'dedicated=gpu:NoSchedule',
  ])
}, 90_000)

afterAll(async () => {
  for (const s of sims) s.proc.kill('SIGKILL')
  await Promise.all(sims.map((s) => s.proc.exited))
  await server?.stop()
})

describe('kubun simulate', () => {
  test('nodes register Ready with a pod CIDR each', async () => {
    await server.ok(['wait', '--for=condition=Ready', 'node', '--all', '--timeout=30s'])
    const nodes = JSON.parse(await server.ok(['get', 'nodes', '-o', 'json'])).items
    expect(nodes.map((n: any) => n.metadata.name).sort()).toEqual(['a-0', 'a-1', 'a-2', 't-0'])
    const cidrs = nodes.map((n: any) => n.spec.podCIDR)
    expect(new Set(cidrs).size).toBe(4)
    for (const c of cidrs) expect(c).toMatch(/^10\.42\.\d+\.0\/24$/)
  }, 40_000)

  test('a Deployment rolls out, never onto the tainted node', async () => {
    await server.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3'])
    await server.ok(['rollout', 'status', 'deployment/web', '--timeout=60s'])
    const pods = JSON.parse(await server.ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items
    expect(pods).toHaveLength(3)
    for (const p of pods) {
      expect(p.spec.nodeName).toMatch(/^a-/)
      expect(p.status.podIP).toMatch(/^10\.42\./)
    }
  }, 70_000)

  test('nodeSelector with a toleration lands on the tainted node; without, FailedScheduling names both reasons', async () => {
    const spec = (name: string, tolerate: boolean) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: {
          nodeSelector: { pool: 't' },
          containers: [{ name: 'c', image: 'nginx' }],
          ...(tolerate
            ? { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }
            : {}),
        },
      })
    await server.ok(['apply', '-f', '-'], { stdin: spec('gpu-ok', true) })
    await server.ok(['apply', '-f', '-'], { stdin: spec('gpu-no', false) })
    await server.ok(['wait', '--for=condition=Ready', 'pod/gpu-ok', '--timeout=30s'])
    expect((await podJson('gpu-ok')).spec.nodeName).toBe('t-0')
    const ev = await until('FailedScheduling for gpu-no', async () => {
      const out = await server.ok([
        'get',
        'events',
        '--field-selector',
        'involvedObject.name=gpu-no,reason=FailedScheduling',
        '-o',
        'json',
      ])
      return JSON.parse(out).items[0]
    })
    expect(ev.message).toStartWith(
      "0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 3 node(s) didn't match Pod's node affinity/selector.",
    )
    const p = await podJson('gpu-no')
    expect(p.status.phase).toBe('Pending')
    expect(p.status.conditions.find((c: any) => c.type === 'PodScheduled')).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
    })
  }, 40_000)

  test('required node affinity and too-large requests', async () => {
    const affinity = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'picky' },
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: [
                    { key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['a-0', 'a-1'] },
                    { key: 'pool', operator: 'In', values: ['a'] },
                  ],
                },
              ],
            },
          },
        },
        containers: [{ name: 'c', image: 'nginx' }],
      },
    }
    await server.ok(['apply', '-f', '-'], { stdin: JSON.stringify(affinity) })
    await server.ok(['wait', '--for=condition=Ready', 'pod/picky', '--timeout=30s'])
    expect((await podJson('picky')).spec.nodeName).toBe('a-2')
    await server.ok([
      'run',
      'huge',
      '--image=nginx',
      '--overrides',
      JSON.stringify({
        spec: { containers: [{ name: 'huge', image: 'nginx', resources: { requests: { cpu: '100' } } }] },
      }),
    ])
    const ev = await until('FailedScheduling for huge', async () => {
      const out = await server.ok([
        'get',
        'events',
        '--field-selector',
        'involvedObject.name=huge,reason=FailedScheduling',
        '-o',
        'json',
      ])
      return JSON.parse(out).items[0]
    })
    expect(ev.message).toBe(
      '0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.',
    )
  }, 40_000)

  test('pods that exit complete; a failing one fails', async () => {
    await server.ok(['run', 'once', '--image=busybox', '--restart=Never'])
    await server.ok([
      'run',
      'broken',
      '--image=busybox',
      '--restart=Never',
      '--annotations=kubun.io/simulate-fail=true',
    ])
    await until('once Succeeded', async () => (await podJson('once')).status.phase === 'Succeeded')
    await until('broken Failed', async () => (await podJson('broken')).status.phase === 'Failed')
    const st = (await podJson('broken')).status.containerStatuses[0].state.terminated
    expect(st).toMatchObject({ exitCode: 1, reason: 'Error' })
  }, 40_000)

  test('a failing container with restartPolicy Always crash-loops with back-off, as on a real node', async () => {
    await server.ok(['run', 'crasher', '--image=busybox', '--annotations=kubun.io/simulate-fail=true'])
    const waiting = await until('crasher in CrashLoopBackOff', async () => {
      const st = (await podJson('crasher')).status
      const c = st?.containerStatuses?.[0]
      return c?.state?.waiting?.reason === 'CrashLoopBackOff' && st
    })
    const c = waiting.containerStatuses[0]
    const uid = (await podJson('crasher')).metadata.uid
    expect(c.state.waiting.message).toMatch(
      new RegExp(`^back-off [\\d.]+m?s restarting failed container=crasher pod=crasher_default\\(${uid}\\)$`),
    )
    expect(c.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' })
    expect(c.ready).toBe(false)
    expect(waiting.phase).toBe('Running')
    expect(waiting.conditions.find((x: any) => x.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
    })
    // restarts keep happening (restartCount grows) while kubectl shows the loop
    await until(
      'restartCount ≥ 3',
      async () => (await podJson('crasher')).status.containerStatuses[0].restartCount >= 3,
    )
    const ev = await until('a BackOff event', async () => {
      const out = await server.ok([
        'get',
        'events',
        '--field-selector',
        'involvedObject.name=crasher,reason=BackOff',
        '-o',
        'json',
      ])
      return JSON.parse(out).items[0]
    })
    expect(ev.type).toBe('Warning')
    expect(ev.message).toBe(`Back-off restarting failed container crasher in pod crasher_default(${uid})`)
    await until('kubectl get shows CrashLoopBackOff', async () =>
      (await server.ok(['get', 'pod', 'crasher', '--no-headers'])).includes('CrashLoopBackOff'),
    )
    await server.ok(['delete', 'pod', 'crasher', '--wait=false'])
  }, 60_000)

  test('a killed simulator: its nodes go NotReady and the Deployment moves to another simulator', async () => {
    await simulate(['--nodes', '2', '--node-prefix', 'b-'])
    sims[0].proc.kill('SIGKILL')
    await server.ok(['wait', '--for=condition=Ready=Unknown', 'node/a-0', 'node/a-1', 'node/a-2', '--timeout=30s'])
    const taints = JSON.parse(await server.ok(['get', 'node', 'a-0', '-o', 'json'])).spec.taints.map(
      (t: any) => `${t.key}:${t.effect}`,
    )
    expect(taints.sort()).toEqual([
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/unreachable:NoSchedule',
    ])
    await until('3 web pods ready on b- nodes', async () => {
      const pods = JSON.parse(await server.ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])).items
      const moved = pods.filter(
        (p: any) =>
          !p.metadata.deletionTimestamp &&
          p.spec.nodeName?.startsWith('b-') &&
          p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
      )
      return moved.length === 3
    })
    const evicted = await server.ok(['get', 'events', '--field-selector', 'reason=TaintManagerEviction', '-o', 'name'])
    expect(evicted.trim().split('\n').length).toBeGreaterThanOrEqual(3)
  }, 60_000)
})
