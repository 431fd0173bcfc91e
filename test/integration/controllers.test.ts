// The controllers against a real `kubun server --disable-agent` driven by the real kubectl. No nodes:
// a fake kubelet (test/integration/fake-kubelet.ts) marks pods Running and Ready so rollouts finish.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { until as waitUntil } from '../support/until.ts'
import { type FakeKubelet, startFakeKubelet } from './fake-kubelet.ts'
import { KUBECTL_132, startTestServer, type TestServer } from './kubectl-harness.ts'

let server: TestServer
let kubelet: FakeKubelet
beforeAll(async () => {
  server = await startTestServer()
  kubelet = startFakeKubelet(server.kubeconfig)
}, 60_000)
afterAll(async () => {
  kubelet?.stop()
  await server?.stop()
})

const k = (...args: string[]) => server.ok(args, { bin: KUBECTL_132 })
const kFail = (...args: string[]) => server.kubectl(args, { bin: KUBECTL_132 })
const json = async (...args: string[]) => JSON.parse(await k(...args, '-o', 'json'))

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, ms = 20_000) =>
  waitUntil(what, fn, { ms, intervalMs: 100, log: () => server.log() })

describe('Deployment rollouts with kubectl', () => {
  test('create, rollout status, set image, history, undo, pause/resume, restart, scale to 0 and back', async () => {
    await k('create', 'namespace', 'dep')
    await k('-n', 'dep', 'create', 'deployment', 'web', '--image=nginx:1', '--replicas=3')
    await k('-n', 'dep', 'rollout', 'status', 'deploy/web', '--timeout=30s')
    let rs = await json('-n', 'dep', 'get', 'rs')
    expect(rs.items).toHaveLength(1)
    expect(rs.items[0].metadata.annotations['deployment.kubernetes.io/revision']).toBe('1')
    expect(rs.items[0].metadata.labels['pod-template-hash']).toBeTruthy()

    await k('-n', 'dep', 'set', 'image', 'deploy/web', 'nginx=nginx:2')
    await k('-n', 'dep', 'rollout', 'status', 'deploy/web', '--timeout=30s')
    rs = await json('-n', 'dep', 'get', 'rs')
    expect(rs.items).toHaveLength(2)
    const history = await k('-n', 'dep', 'rollout', 'history', 'deploy/web')
    expect(history).toMatch(/^1\s/m)
    expect(history).toMatch(/^2\s/m)

    await k('-n', 'dep', 'rollout', 'undo', 'deploy/web')
    await k('-n', 'dep', 'rollout', 'status', 'deploy/web', '--timeout=30s')
    const d = await json('-n', 'dep', 'get', 'deploy', 'web')
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1')
    expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3')
    expect(d.status.conditions.find((c: any) => c.type === 'Progressing').reason).toBe('NewReplicaSetAvailable')
    expect(d.status.conditions.find((c: any) => c.type === 'Available').status).toBe('True')
    // undo reuses the revision-1 ReplicaSet (renumbered 3), it does not make another
    rs = await json('-n', 'dep', 'get', 'rs')
    expect(rs.items).toHaveLength(2)

    await k('-n', 'dep', 'rollout', 'pause', 'deploy/web')
    await k('-n', 'dep', 'set', 'image', 'deploy/web', 'nginx=nginx:3')
    await Bun.sleep(300)
    expect((await json('-n', 'dep', 'get', 'rs')).items).toHaveLength(2)
    await k('-n', 'dep', 'rollout', 'resume', 'deploy/web')
    await k('-n', 'dep', 'rollout', 'status', 'deploy/web', '--timeout=30s')
    expect((await json('-n', 'dep', 'get', 'rs')).items).toHaveLength(3)

    await k('-n', 'dep', 'rollout', 'restart', 'deploy/web')
    await k('-n', 'dep', 'rollout', 'status', 'deploy/web', '--timeout=30s')
    expect((await json('-n', 'dep', 'get', 'rs')).items).toHaveLength(4)

    await k('-n', 'dep', 'scale', 'deploy/web', '--replicas=0')
    await until('no pods', async () => (await json('-n', 'dep', 'get', 'pods')).items.length === 0)
    await k('-n', 'dep', 'scale', 'deploy/web', '--replicas=2')
    await k('-n', 'dep', 'rollout', 'status', 'deploy/web', '--timeout=30s')
    expect((await json('-n', 'dep', 'get', 'pods')).items).toHaveLength(2)
    const events = await k(
      '-n',
      'dep',
      'get',
      'events',
      '--field-selector',
      'reason=ScalingReplicaSet',
      '-o',
      'jsonpath={.items[*].message}',
    )
    expect(events).toMatch(/Scaled up replica set web-\w+ from 0 to 3/)
  }, 90_000)
})

describe('StatefulSet, Job, CronJob', () => {
  test('StatefulSet web-0..2 are created in order and the rollout completes', async () => {
    await k('create', 'namespace', 'sts')
    const yaml = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: sts}
spec:
  replicas: 3
  serviceName: web
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
`
    await server.ok(['apply', '-f', '-'], { stdin: yaml, bin: KUBECTL_132 })
    await k('-n', 'sts', 'rollout', 'status', 'sts/web', '--timeout=30s')
    const pods = (await json('-n', 'sts', 'get', 'pods')).items
    const order = [...pods].sort(
      (a: any, b: any) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion),
    )
    expect(order.map((p: any) => p.metadata.name)).toEqual(['web-0', 'web-1', 'web-2'])
  }, 60_000)

  test('a Job with completions=3 parallelism=2 reaches Complete; kubectl create job --from=cronjob works', async () => {
    await k('create', 'namespace', 'batch')
    const jobYaml = `apiVersion: batch/v1
kind: Job
metadata: {name: three, namespace: batch}
spec:
  completions: 3
  parallelism: 2
  template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}
`
    await server.ok(['apply', '-f', '-'], { stdin: jobYaml, bin: KUBECTL_132 })
    await k('-n', 'batch', 'wait', '--for=condition=complete', 'job/three', '--timeout=30s')
    const j = await json('-n', 'batch', 'get', 'job', 'three')
    expect(j.status.succeeded).toBe(3)

    await k('-n', 'batch', 'create', 'cronjob', 'nightly', '--image=busybox', '--schedule=0 3 * * *', '--', 'true')
    await k('-n', 'batch', 'create', 'job', 'manual', '--from=cronjob/nightly')
    await k('-n', 'batch', 'wait', '--for=condition=complete', 'job/manual', '--timeout=30s')
  }, 60_000)
})

describe('cascading deletion and namespaces', () => {
  test('background, foreground and orphan deletes of a Deployment', async () => {
    await k('create', 'namespace', 'gc')
    for (const name of ['bg', 'fg', 'orph'])
      await k('-n', 'gc', 'create', 'deployment', name, '--image=nginx', '--replicas=2')
    for (const name of ['bg', 'fg', 'orph']) await k('-n', 'gc', 'rollout', 'status', `deploy/${name}`, '--timeout=30s')
    const podsOf = async (app: string) => (await json('-n', 'gc', 'get', 'pods', '-l', `app=${app}`)).items

    await k('-n', 'gc', 'delete', 'deploy', 'bg')
    await until('bg pods gone', async () => (await podsOf('bg')).length === 0)
    await k('-n', 'gc', 'delete', 'deploy', 'fg', '--cascade=foreground')
    expect(await podsOf('fg')).toHaveLength(0)
    expect((await json('-n', 'gc', 'get', 'rs', '-l', 'app=fg')).items).toHaveLength(0)
    await k('-n', 'gc', 'delete', 'deploy', 'orph', '--cascade=orphan')
    const rs = await until('rs orphaned', async () => {
      const items = (await json('-n', 'gc', 'get', 'rs', '-l', 'app=orph')).items
      return items.length === 1 && !items[0].metadata.ownerReferences && items
    })
    expect(rs).toHaveLength(1)
    expect(await podsOf('orph')).toHaveLength(2)
  }, 60_000)

  test('deleting a namespace removes everything in it, then the namespace', async () => {
    await k('create', 'namespace', 'doomed')
    await k('-n', 'doomed', 'create', 'deployment', 'web', '--image=nginx', '--replicas=2')
    await k('-n', 'doomed', 'create', 'configmap', 'c', '--from-literal=a=b')
    await until('sa default', async () => (await kFail('-n', 'doomed', 'get', 'sa', 'default')).code === 0)
    await k('delete', 'namespace', 'doomed', '--timeout=30s')
    const r = await kFail('get', 'namespace', 'doomed')
    expect(r.stderr).toContain('not found')
  }, 60_000)
})

describe('EndpointSlices', () => {
  test('follow pod readiness', async () => {
    await k('create', 'namespace', 'eps')
    await k('-n', 'eps', 'create', 'deployment', 'web', '--image=nginx', '--replicas=2', '--port=80')
    await k('-n', 'eps', 'expose', 'deployment', 'web', '--port=8080', '--target-port=80')
    await k('-n', 'eps', 'rollout', 'status', 'deploy/web', '--timeout=30s')
    const slice = await until('2 ready endpoints', async () => {
      const s = (await json('-n', 'eps', 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=web')).items[0]
      return s?.endpoints?.filter((e: any) => e.conditions.ready).length === 2 && s
    })
    expect(slice.metadata.labels['endpointslice.kubernetes.io/managed-by']).toBe('endpointslice-controller.k8s.io')
    expect(slice.ports).toEqual([{ name: '', port: 80, protocol: 'TCP' }])
    const pod = slice.endpoints[0].targetRef.name
    await kubelet.setReady('eps', pod, false)
    await until('one not ready', async () => {
      const s = (await json('-n', 'eps', 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=web')).items[0]
      const e = s.endpoints.find((x: any) => x.targetRef.name === pod)
      return e && e.conditions.ready === false && e.conditions.serving === false
    })
    const ep = await json('-n', 'eps', 'get', 'endpoints', 'web')
    expect(ep.subsets[0].addresses).toHaveLength(1)
    expect(ep.subsets[0].notReadyAddresses).toHaveLength(1)
  }, 60_000)
})

describe('LimitRange and ResourceQuota', () => {
  test('pods get LimitRange defaults; a create past the quota is refused with upstream wording', async () => {
    await k('create', 'namespace', 'quota')
    const yaml = `apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: quota}
spec:
  limits: [{type: Container, default: {cpu: 500m, memory: 128Mi}, defaultRequest: {cpu: 100m}}]
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: q, namespace: quota}
spec: {hard: {pods: '1'}}
`
    await server.ok(['apply', '-f', '-'], { stdin: yaml, bin: KUBECTL_132 })
    await until(
      'quota status',
      async () => (await json('-n', 'quota', 'get', 'resourcequota', 'q')).status?.used?.pods === '0',
    )
    await k('-n', 'quota', 'run', 'one', '--image=nginx')
    const pod = await json('-n', 'quota', 'get', 'pod', 'one')
    expect(pod.spec.containers[0].resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '128Mi' },
    })
    await until(
      'quota counts the pod',
      async () => (await json('-n', 'quota', 'get', 'resourcequota', 'q')).status?.used?.pods === '1',
    )
    const r = await kFail('-n', 'quota', 'run', 'two', '--image=nginx')
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1')
  }, 30_000)
})
