// The kubelet over the in-memory runtime and client: pods start, restart, report status, survive an
// agent restart without a container restart, and are cleaned up and deleted.
import { afterEach, beforeEach, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Pod } from 'kubernetes-types/core/v1'
import { FakeClient } from '../../server/controllers/lib/fake-client.ts'
import { FakeRuntime } from '../runtime/fake.ts'
import { NODE_LABEL } from '../runtime/labels.ts'
import type { PodNetworkPort } from './context.ts'
import { Kubelet } from './kubelet.ts'

const PODS = { group: '', version: 'v1', resource: 'pods', namespace: 'default' }
const NODE = 'n1'
let dir: string
let client: FakeClient
let rt: FakeRuntime
let net: PodNetworkPort & { ips: Map<string, string> }
let kubelets: Kubelet[] = []

function fakeNetwork(): PodNetworkPort & { ips: Map<string, string> } {
  const ips = new Map<string, string>()
  let n = 1
  return {
    ips,
    add: async (id) => {
      const ip = ips.get(id) ?? `10.42.0.${++n}`
      ips.set(id, ip)
      return { ip }
    },
    remove: async (id) => {
      ips.delete(id)
    },
    ipOf: (id) => ips.get(id),
  }
}

function startKubelet(): Kubelet {
  const k = new Kubelet({
    client,
    runtime: rt,
    network: net,
    nodeName: NODE,
    nodeIPs: ['192.168.1.2'],
    dataDir: dir,
    pauseImage: 'pause',
    clusterDns: { servers: ['10.43.0.10'], domain: 'cluster.local' },
    hostResolv: { nameservers: ['1.1.1.1'], searches: [], options: [] },
    allocatable: { cpu: 2, memory: 2 ** 30 },
    mounter: { isMounted: () => false, mountTmpfs: async () => {}, unmount: async () => {} },
  })
  kubelets.push(k)
  return k
}

async function until(what: string, fn: () => boolean | Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await fn()) return
    await Bun.sleep(10)
  }
  throw new Error(`timed out: ${what}`)
}

const pod = (name: string, spec: Partial<Pod['spec']> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { nodeName: NODE, containers: [{ name: 'app', image: 'img', imagePullPolicy: 'IfNotPresent' }], ...spec },
})
const get = (name: string) => client.get<Pod>(PODS, name)
const running = () => [...rt.containers.values()].filter((c) => c.state === 'running')

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubun-kubelet-'))
  client = new FakeClient()
  rt = new FakeRuntime()
  rt.images.add('pause')
  rt.images.add('img')
  net = fakeNetwork()
  kubelets = []
  // the ServiceAccount volume every pod gets needs the root CA ConfigMap (the controllers publish it)
  void client.create(
    { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' },
    { metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': 'PEM' } },
  )
})

afterEach(() => {
  for (const k of kubelets) k.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('a pod gets a sandbox and its container; status Running, Ready, with the pod IP', async () => {
  await startKubelet().start()
  await client.create(PODS, pod('web'))
  await until(
    'Ready',
    async () => (await get('web')).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
  )
  const s = (await get('web')).status
  expect(s?.phase).toBe('Running')
  expect(s?.podIP).toBe('10.42.0.2')
  expect(s?.hostIP).toBe('192.168.1.2')
  expect(
    running()
      .map((c) => c.name)
      .sort(),
  ).toEqual([expect.stringMatching(/^k8s_POD_web_default_/), expect.stringMatching(/^k8s_app_web_default_/)].sort())
  expect(running().every((c) => c.labels[NODE_LABEL] === NODE)).toBe(true)
  const app = running().find((c) => c.name.startsWith('k8s_app'))
  expect(app?.config.networkMode).toMatch(/^container:/)
})

test('a crashed container restarts with restartCount 1; a restarted kubelet adopts without restarting', async () => {
  const k1 = startKubelet()
  await k1.start()
  await client.create(PODS, pod('web'))
  await until('running app', () => running().length === 2)
  const app = running().find((c) => c.name.startsWith('k8s_app'))
  rt.exit(app?.id ?? '', 1)
  await until('restartCount 1', async () => (await get('web')).status?.containerStatuses?.[0]?.restartCount === 1)
  expect((await get('web')).status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode).toBe(1)

  k1.stop()
  const before = rt.calls.length
  const ids = running().map((c) => c.id)
  await startKubelet().start()
  await Bun.sleep(200)
  expect(running().map((c) => c.id)).toEqual(ids)
  expect(rt.calls.slice(before).filter((c) => c.startsWith('create') || c.startsWith('stop'))).toEqual([])
})

test('imagePullPolicy Never with a missing image: waiting ErrImageNeverPull', async () => {
  await startKubelet().start()
  await client.create(
    PODS,
    pod('nopull', { containers: [{ name: 'app', image: 'missing', imagePullPolicy: 'Never' }] }),
  )
  await until(
    'ErrImageNeverPull',
    async () => (await get('nopull')).status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ErrImageNeverPull',
  )
  expect((await get('nopull')).status?.phase).toBe('Pending')
})

test('a deleted pod is stopped, its containers and network removed, then the object deleted', async () => {
  await startKubelet().start()
  await client.create(PODS, pod('gone'))
  await until('running', () => running().length === 2)
  const cur = await get('gone')
  await client.update(PODS, {
    ...cur,
    metadata: { ...cur.metadata, deletionTimestamp: new Date().toISOString(), deletionGracePeriodSeconds: 0 },
  })
  await until('object deleted', async () => !(await get('gone').catch(() => undefined)))
  expect(rt.containers.size).toBe(0)
  expect(net.ips.size).toBe(0)
})

test('containers of a pod unknown to the API are torn down at start', async () => {
  await startKubelet().start()
  await client.create(PODS, pod('orphan'))
  await until('running', () => running().length === 2)
  kubelets[0].stop()
  await client.delete(PODS, 'orphan')
  await startKubelet().start()
  await until('removed', () => rt.containers.size === 0)
})

test('the periodic resyncs of many pods share one runtime list; a runtime event makes the next sync list again', async () => {
  const k = startKubelet()
  await k.start()
  for (let i = 0; i < 10; i++) await client.create(PODS, pod(`p${i}`))
  await until('all running', () => running().length === 20)
  // settled: every pod's idle resync may read the shared list
  const before = k.runtimeLists
  // one after another, as their timers fire: no list is in flight to join
  for (const w of k.podWorkers()) {
    w.kick()
    await Bun.sleep(20)
  }
  expect(k.runtimeLists - before).toBeLessThanOrEqual(1)
  const app = running().find((c) => c.name.startsWith('k8s_app_p3_'))
  rt.exit(app?.id ?? '', 1)
  await until('restartCount 1', async () => (await get('p3')).status?.containerStatuses?.[0]?.restartCount === 1)
})
