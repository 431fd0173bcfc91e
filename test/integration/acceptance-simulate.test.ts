// The issue-4 acceptance as a demanding user runs it: `kubun server --disable-agent` with a 5 s node
// monitor grace and toleration, `kubun simulate --nodes 3` with its defaults (no test-only flags), and
// kubectl only. Regressions found that way: nodes flapping NotReady (10 s lease renewal vs 5 s grace),
// PVCs never binding (no PV binder), claims made ahead of their pod, the PreFilter wording, kubectl
// describe service panicking on a nameless slice port, drain ignoring PodDisruptionBudgets, DaemonSet pods
// removed from an unreachable node, no Killing events.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { until as waitUntil } from '../support/until.ts'
import { KUBECTL_DISPATCHER, startTestServer, type TestServer } from './kubectl-harness.ts'

const repo = resolve(import.meta.dir, '../..')
let server: TestServer
const sims: ReturnType<typeof Bun.spawn>[] = []

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
      ...args,
    ],
    { cwd: repo, stdout: 'pipe', stderr: 'pipe', env: { ...process.env, KUBUN_LOG_LEVEL: 'info' } },
  )
  sims.push(proc)
  let log = ''
  const reader = proc.stderr.getReader()
  const dec = new TextDecoder()
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`simulate not ready after 30s:\n${log}`)), 30_000)
    ;(async () => {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return rej(new Error(`simulate exited:\n${log}`))
        log += dec.decode(value)
        if (log.includes('simulated nodes registered')) {
          clearTimeout(timer)
          res()
          // keep draining so the child never blocks on a full pipe
          while (!(await reader.read()).done) {}
          return
        }
      }
    })()
  })
  return proc
}

const k = (...args: string[]) => server.ok(args, { bin: KUBECTL_DISPATCHER })
const kr = (...args: string[]) => server.kubectl(args, { bin: KUBECTL_DISPATCHER })
const json = async (...args: string[]) => JSON.parse(await k(...args, '-o', 'json'))
const apply = (yaml: string) => server.ok(['apply', '-f', '-'], { stdin: yaml, bin: KUBECTL_DISPATCHER })

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, ms = 30_000) =>
  waitUntil(what, fn, { ms, intervalMs: 250, log: () => server.log() })

const eventsOf = async (reason: string) =>
  (await json('get', 'events', '-A', '--field-selector', `reason=${reason}`)).items as any[]

beforeAll(async () => {
  server = await startTestServer({
    args: ['--node-monitor-grace-period', '5s', '--default-unreachable-toleration-seconds', '5'],
  })
  await simulate(['--nodes', '3'])
}, 90_000)

afterAll(async () => {
  for (const p of sims) p.kill('SIGKILL')
  await Promise.all(sims.map((p) => p.exited))
  await server?.stop()
})

describe('acceptance on simulated nodes', () => {
  test('nodes stay Ready under a 5 s grace with the default lease renewal; get nodes -o wide', async () => {
    await k('wait', '--for=condition=Ready', 'node', '--all', '--timeout=30s')
    const wide = await k('get', 'nodes', '-o', 'wide')
    expect(wide).toMatch(/^sim-0\s+Ready\s+<none>\s+\S+\s+v1\.\d+\.\d+\S*\s+10\.254\.0\.1\s/m)
    // no version skew shown between the control plane and its (simulated) kubelets
    const serverVersion = JSON.parse(await k('version', '-o', 'json')).serverVersion.gitVersion.replace(/\+.*/, '')
    const node = await json('get', 'node', 'sim-0')
    expect(node.status.nodeInfo.kubeletVersion).toStartWith(`${serverVersion}+`)
    await Bun.sleep(7000) // longer than the grace period
    expect(await eventsOf('NodeNotReady')).toEqual([])
  }, 40_000)

  test('StatefulSet claims wait for static PVs, bind, and each comes with its pod', async () => {
    await apply(`apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: c, image: nginx, volumeMounts: [{name: data, mountPath: /data}]}]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`)
    const ev = await until('FailedScheduling for db-0', async () => {
      const e = (await eventsOf('FailedScheduling')).find((x) => x.involvedObject.name === 'db-0')
      return e
    })
    expect(ev.message).toBe(
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    )
    expect((await json('get', 'pvc')).items.map((c: any) => c.metadata.name)).toEqual(['data-db-0'])
    const pvs = [0, 1, 2]
      .map(
        (i) => `apiVersion: v1
kind: PersistentVolume
metadata: {name: pv${i}}
spec: {capacity: {storage: ${i + 1}Gi}, accessModes: [ReadWriteOnce], hostPath: {path: /tmp/kubun-acc-pv${i}}}
`,
      )
      .join('---\n')
    await apply(pvs)
    await k('rollout', 'status', 'sts/db', '--timeout=60s')
    const claims = (await json('get', 'pvc')).items
    expect(claims.map((c: any) => [c.metadata.name, c.status.phase, c.spec.volumeName])).toEqual([
      ['data-db-0', 'Bound', 'pv0'],
      ['data-db-1', 'Bound', 'pv1'],
      ['data-db-2', 'Bound', 'pv2'],
    ])
    expect((await json('get', 'pv', 'pv2')).status.phase).toBe('Bound')
  }, 90_000)

  test('a Deployment behind a Service: slices, describe service, anti-affinity wording', async () => {
    await k('create', 'deployment', 'web', '--image=nginx', '--replicas=5', '--port=80')
    await k('expose', 'deployment', 'web', '--port=80')
    await k('rollout', 'status', 'deploy/web', '--timeout=60s')
    await until('5 ready endpoints', async () => {
      const s = (await json('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web')).items[0]
      return s?.endpoints?.filter((e: any) => e.conditions.ready).length === 5
    })
    const described = await kr('describe', 'service', 'web')
    expect(described.stderr).not.toContain('panic')
    expect(described.stdout).toContain('Endpoints:')
    await apply(`apiVersion: apps/v1
kind: Deployment
metadata: {name: spread}
spec:
  replicas: 4
  selector: {matchLabels: {app: spread}}
  template:
    metadata: {labels: {app: spread}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - {labelSelector: {matchLabels: {app: spread}}, topologyKey: kubernetes.io/hostname}
      containers: [{name: c, image: nginx}]
`)
    const ev = await until('FailedScheduling for spread', async () =>
      (await eventsOf('FailedScheduling')).find((x) => x.involvedObject.name.startsWith('spread-')),
    )
    expect(ev.message).toBe(
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
    )
    await k('delete', 'deployment', 'spread')
  }, 90_000)

  test('kubectl drain waits on a PodDisruptionBudget (429, retried) and finishes once it allows', async () => {
    await k('create', 'pdb', 'web', '--selector=app=web', '--min-available=5')
    await until('budget observed', async () => (await json('get', 'pdb', 'web')).status?.currentHealthy === 5)
    const node = (await json('get', 'pods', '-l', 'app=web')).items[0].spec.nodeName
    const drain = kr('drain', node, '--ignore-daemonsets', '--timeout=40s', '--pod-selector=app=web')
    await until('the node cordoned', async () => (await json('get', 'node', node)).spec.unschedulable === true)
    await Bun.sleep(2000)
    expect(
      (await json('get', 'pods', '-l', 'app=web', '--field-selector', `spec.nodeName=${node}`)).items.length,
    ).toBeGreaterThan(0)
    await k('patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":1}}')
    const r = await drain
    expect(r.code).toBe(0)
    expect(r.stdout + r.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget.")
    await k('uncordon', node)
    await k('delete', 'pdb', 'web')
  }, 60_000)

  test('a killed simulator: NotReady, Deployment pods move, DaemonSet pods stay, Killing events', async () => {
    await apply(`apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: c, image: busybox}]}
`)
    await k('rollout', 'status', 'ds/agent', '--timeout=30s')
    await k('scale', 'deploy/web', '--replicas=3')
    const killing = await until('Killing events for web', async () =>
      (await eventsOf('Killing')).find((e) => e.involvedObject.name.startsWith('web-')),
    )
    expect(killing).toMatchObject({ message: 'Stopping container nginx', source: { component: 'kubelet' } })
    await simulate(['--nodes', '2', '--node-prefix', 'b-'])
    await k('rollout', 'status', 'ds/agent', '--timeout=30s')
    sims[0].kill('SIGKILL')
    await k('wait', '--for=condition=Ready=Unknown', 'node/sim-0', 'node/sim-1', 'node/sim-2', '--timeout=30s')
    await until('3 web pods ready on b- nodes', async () => {
      const pods = (await json('get', 'pods', '-l', 'app=web')).items
      return (
        pods.filter(
          (p: any) =>
            !p.metadata.deletionTimestamp &&
            p.spec.nodeName?.startsWith('b-') &&
            p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'),
        ).length === 3
      )
    })
    const daemons = (await json('get', 'pods', '-l', 'app=agent')).items
    const onDead = daemons.filter((p: any) => p.spec.nodeName.startsWith('sim-'))
    expect(onDead).toHaveLength(3)
    for (const p of onDead) expect(p.metadata.deletionTimestamp).toBeUndefined()
  }, 90_000)
})
