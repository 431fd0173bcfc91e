// The kubelet end to end: `kubun server` with its in-process agent on real Docker, driven by the real
// kubectl, checked from the host with curl: Deployments, Services (ClusterIP, NodePort, pod → service),
// probes, ConfigMap/Secret volumes and env, init containers, Jobs, deletion clean-up, and that neither a
// server stop nor a restart disturbs healthy pods. One server for the whole file.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  buildBusyboxImage,
  type Cluster,
  canRunKubeletE2E,
  curl,
  sh,
  startCluster,
  waitFor,
} from './kubelet-harness.ts'

const enabled = canRunKubeletE2E('kubelet e2e')
const IMAGE = `kubun-e2e/busybox:${Math.random().toString(16).slice(2, 8)}`
let c: Cluster

const web = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: httpd
        image: ${IMAGE}
        command: ["sh", "-c", "mkdir -p /www && echo hello-$(hostname) > /www/index.html && exec httpd -f -p 80 -h /www"]
        ports: [{containerPort: 80}]
        readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
`

async function pods(selector: string): Promise<any[]> {
  return JSON.parse(await c.kubectl(['get', 'pods', '-l', selector, '-o', 'json'])).items
}

const ready = (p: any) => p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True')

async function containersOf(podUid: string): Promise<string[]> {
  const out = await sh(['docker', 'ps', '-aq', '--filter', `label=io.kubernetes.pod.uid=${podUid}`])
  return out.stdout.split('\n').filter(Boolean)
}

describe.skipIf(!enabled)('kubelet on Docker', () => {
  beforeAll(async () => {
    await buildBusyboxImage(IMAGE)
    c = await startCluster()
    mkdirSync(join(c.dataDir, 'agent', 'pod-manifests'), { recursive: true })
    writeFileSync(
      join(c.dataDir, 'agent', 'pod-manifests', 'static-web.yaml'),
      `apiVersion: v1
kind: Pod
metadata: {name: static-web, namespace: kube-system}
spec:
  containers:
  - {name: c, image: ${IMAGE}, command: ["sleep", "3600"]}
`,
    )
    await c.startServer()
  }, 120_000)

  afterAll(async () => {
    await c?.cleanup()
    await sh(['docker', 'rmi', '-f', IMAGE], { allowFail: true })
  }, 60_000)

  test('the node registers Ready with the control-plane role and docker runtime', async () => {
    const node = JSON.parse(await c.kubectl(['get', 'node', c.nodeName, '-o', 'json']))
    expect(node.metadata.labels['node-role.kubernetes.io/control-plane']).toBe('true')
    expect(node.status.nodeInfo.containerRuntimeVersion).toMatch(/^docker:\/\//)
    expect(node.status.conditions.find((x: any) => x.type === 'Ready').status).toBe('True')
    expect(node.spec.podCIDR).toMatch(/^10\.42\.\d+\.0\/24$/)
  })

  test('a static pod from <data-dir>/agent/pod-manifests runs and shows as a Running mirror pod', async () => {
    const name = `static-web-${c.nodeName}`
    await waitFor(
      'mirror pod Running',
      async () => {
        const p = JSON.parse(
          (await c.kubectl(['get', 'pod', '-n', 'kube-system', name, '-o', 'json'], { allowFail: true })) || '{}',
        )
        return p.status?.phase === 'Running' && !!p.metadata.annotations['kubernetes.io/config.mirror']
      },
      30_000,
      c.logs,
    )
    const ids = await sh(['docker', 'ps', '-q', '--filter', `label=io.kubernetes.pod.name=${name}`])
    expect(ids.stdout.split('\n').filter(Boolean)).toHaveLength(2)
  }, 40_000)

  test('an OOM-killed container is reported OOMKilled', async () => {
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: hog, labels: {t: hog}}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: ${IMAGE}
    command: ["sh", "-c", "head -c 64m /dev/zero | tail"]
    resources: {limits: {memory: 16Mi}}
`)
    await waitFor('hog Failed', async () => (await pods('t=hog'))[0]?.status?.phase === 'Failed', 60_000, c.logs)
    const t = (await pods('t=hog'))[0].status.containerStatuses[0].state.terminated
    expect(t.reason).toBe('OOMKilled')
    expect(t.exitCode).toBe(137)
  }, 70_000)

  test('a 2-replica busybox httpd Deployment becomes Ready and serves via ClusterIP and NodePort', async () => {
    await c.apply(web)
    await waitFor('2 ready web pods', async () => (await pods('app=web')).filter(ready).length === 2, 60_000, c.logs)
    const svc = JSON.parse(await c.kubectl(['get', 'svc', 'web', '-o', 'json']))
    const names = new Set((await pods('app=web')).map((p) => `hello-${p.metadata.name}\n`))
    const seenCluster = new Set<string>()
    const seenNode = new Set<string>()
    await waitFor(
      'both replicas through the ClusterIP and the NodePort',
      async () => {
        seenCluster.add(await curl(`http://${svc.spec.clusterIP}/`))
        seenNode.add(await curl(`http://${c.nodeIp}:${svc.spec.ports[0].nodePort}/`))
        return [...names].every((n) => seenCluster.has(n) && seenNode.has(n))
      },
      60_000,
      () => `${[...seenCluster, ...seenNode].join(' ')}\n${c.logs()}`,
    )
  }, 90_000)

  test('a pod reaches another through its Service name', async () => {
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers:
  - name: c
    image: ${IMAGE}
    command: ["sleep", "3600"]
`)
    await waitFor('client ready', async () =>
      (await pods('!app')).some((p) => p.metadata.name === 'client' && ready(p)),
    )
    const svc = JSON.parse(await c.kubectl(['get', 'svc', 'web', '-o', 'json']))
    const p = (await pods('!app')).find((x) => x.metadata.name === 'client')
    const sandbox = (
      await sh([
        'docker',
        'ps',
        '-q',
        '--filter',
        `label=io.kubernetes.pod.uid=${p.metadata.uid}`,
        '--filter',
        'label=io.kubernetes.container.name=c',
      ])
    ).stdout.trim()
    const get = await sh(
      ['docker', 'exec', sandbox, 'sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${svc.spec.clusterIP} 80`],
      { allowFail: true },
    )
    expect(get.stdout).toContain('hello-web-')
    const resolv = (await sh(['docker', 'exec', sandbox, 'cat', '/etc/resolv.conf'])).stdout
    expect(resolv).toContain('search default.svc.cluster.local svc.cluster.local cluster.local')
    expect(resolv).toContain('options ndots:5')
    const sa = await sh([
      'docker',
      'exec',
      sandbox,
      'sh',
      '-c',
      'cd /var/run/secrets/kubernetes.io/serviceaccount && cat namespace && head -c 3 token && grep -c BEGIN ca.crt',
    ])
    expect(sa.stdout).toBe('defaulteyJ1\n')
  }, 60_000)

  test('a hostNetwork pod serves on the node address and reports it as its IP', async () => {
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: hostnet, labels: {t: hostnet}}
spec:
  hostNetwork: true
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: ${IMAGE}
    command: ["sh", "-c", "mkdir -p /www && echo on-host > /www/index.html && exec httpd -f -p 18181 -h /www"]
`)
    await waitFor('hostnet ready', async () => ready((await pods('t=hostnet'))[0] ?? {}))
    expect((await pods('t=hostnet'))[0].status.podIP).toBe(c.nodeIp)
    await waitFor('served on the node', async () => (await curl(`http://${c.nodeIp}:18181/`)) === 'on-host\n')
  }, 60_000)

  test('a failing liveness probe restarts the container and bumps restartCount', async () => {
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: live, labels: {t: live}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: ${IMAGE}
    command: ["sh", "-c", "touch /tmp/ok; sleep 3600"]
    livenessProbe:
      exec: {command: ["sh", "-c", "test -f /tmp/ok && rm /tmp/ok"]}
      periodSeconds: 1
      failureThreshold: 1
`)
    await waitFor(
      'restartCount ≥ 1',
      async () => ((await pods('t=live'))[0]?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1,
      60_000,
      c.logs,
    )
    const events = await c.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=live', '-o', 'json'])
    expect(JSON.parse(events).items.map((e: any) => e.reason)).toContain('Unhealthy')
  }, 90_000)

  test('a failing readiness probe removes the endpoint', async () => {
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: flaky, labels: {t: flaky}}
spec:
  containers:
  - name: c
    image: ${IMAGE}
    command: ["sh", "-c", "touch /tmp/ready; sleep 3600"]
    readinessProbe: {exec: {command: ["test", "-f", "/tmp/ready"]}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: flaky}
spec:
  selector: {t: flaky}
  ports: [{port: 80}]
`)
    const addresses = async () => {
      const slices = JSON.parse(
        await c.kubectl(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=flaky', '-o', 'json']),
      )
      return slices.items.flatMap((s: any) =>
        (s.endpoints ?? []).filter((e: any) => e.conditions?.ready).map((e: any) => e.addresses[0]),
      )
    }
    await waitFor('flaky ready in the EndpointSlice', async () => (await addresses()).length === 1)
    const p = (await pods('t=flaky'))[0]
    const id = (
      await sh([
        'docker',
        'ps',
        '-q',
        '--filter',
        `label=io.kubernetes.pod.uid=${p.metadata.uid}`,
        '--filter',
        'label=io.kubernetes.container.name=c',
      ])
    ).stdout.trim()
    await sh(['docker', 'exec', id, 'rm', '/tmp/ready'])
    await waitFor('flaky removed from the endpoints', async () => (await addresses()).length === 0)
    expect(ready((await pods('t=flaky'))[0])).toBe(false)
  }, 60_000)

  test('configMap/secret volumes and env, init containers in order', async () => {
    await c.apply(`
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {greeting: hello, mode: prod}
---
apiVersion: v1
kind: Secret
metadata: {name: sec}
stringData: {password: s3cret}
---
apiVersion: v1
kind: Pod
metadata: {name: cfgpod, labels: {t: cfg}}
spec:
  restartPolicy: Never
  initContainers:
  - {name: one, image: ${IMAGE}, command: ["sh", "-c", "echo one >> /work/order"], volumeMounts: [{name: work, mountPath: /work}]}
  - {name: two, image: ${IMAGE}, command: ["sh", "-c", "echo two >> /work/order"], volumeMounts: [{name: work, mountPath: /work}]}
  containers:
  - name: c
    image: ${IMAGE}
    command: ["sh", "-c", "cat /work/order /cfg/greeting /sec/password; echo; echo MODE=$MODE PW=$PW POD=$POD_NAME; grep -c tmpfs /proc/mounts >/dev/null; mount | grep -q ' /sec ' && echo secret-mounted"]
    env:
    - {name: MODE, valueFrom: {configMapKeyRef: {name: cfg, key: mode}}}
    - {name: PW, valueFrom: {secretKeyRef: {name: sec, key: password}}}
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    volumeMounts:
    - {name: work, mountPath: /work}
    - {name: cfg, mountPath: /cfg}
    - {name: sec, mountPath: /sec}
  volumes:
  - {name: work, emptyDir: {}}
  - {name: cfg, configMap: {name: cfg}}
  - {name: sec, secret: {secretName: sec}}
`)
    await waitFor(
      'cfgpod Succeeded',
      async () => (await pods('t=cfg'))[0]?.status?.phase === 'Succeeded',
      60_000,
      c.logs,
    )
    const p = (await pods('t=cfg'))[0]
    const id = (
      await sh([
        'docker',
        'ps',
        '-aq',
        '--filter',
        `label=io.kubernetes.pod.uid=${p.metadata.uid}`,
        '--filter',
        'label=io.kubernetes.container.name=c',
      ])
    ).stdout.trim()
    const out = (await sh(['docker', 'logs', id])).stdout
    expect(out).toBe('one\ntwo\nhellos3cret\nMODE=prod PW=s3cret POD=cfgpod\nsecret-mounted\n')
    expect(p.status.initContainerStatuses.map((s: any) => s.state.terminated?.reason)).toEqual([
      'Completed',
      'Completed',
    ])
    expect(p.status.containerStatuses[0].state.terminated.reason).toBe('Completed')
  }, 90_000)

  test('kubectl logs and exec reach the pod through the kubelet API', async () => {
    expect(await c.kubectl(['logs', 'cfgpod'])).toContain('MODE=prod')
    const r = await c.kubectl(['exec', 'client', '--', 'sh', '-c', 'echo hi; exit 3'], { allowFail: true })
    expect(r).toBe('hi\n')
  }, 30_000)

  test('a mounted ConfigMap follows updates; hostPort reaches the pod on the node IP', async () => {
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: follower, labels: {t: follower}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: ${IMAGE}
    command: ["sh", "-c", "mkdir -p /www && echo via-hostport > /www/index.html && exec httpd -f -p 8080 -h /www"]
    ports: [{containerPort: 8080, hostPort: 18080}]
    volumeMounts: [{name: cfg, mountPath: /cfg}]
  volumes:
  - {name: cfg, configMap: {name: cfg}}
`)
    await waitFor('follower ready', async () => ready((await pods('t=follower'))[0] ?? {}))
    await waitFor('hostPort answers', async () => (await curl(`http://${c.nodeIp}:18080/`)) === 'via-hostport\n')
    const p = (await pods('t=follower'))[0]
    const id = (
      await sh([
        'docker',
        'ps',
        '-q',
        '--filter',
        `label=io.kubernetes.pod.uid=${p.metadata.uid}`,
        '--filter',
        'label=io.kubernetes.container.name=c',
      ])
    ).stdout.trim()
    await c.kubectl(['patch', 'configmap', 'cfg', '--type=merge', '-p', '{"data":{"greeting":"updated"}}'])
    await waitFor(
      'the new value in the volume',
      async () => (await sh(['docker', 'exec', id, 'cat', '/cfg/greeting'])).stdout === 'updated',
      40_000,
    )
  }, 90_000)

  test('crash loops back off, a missing image under Never is ErrImageNeverPull, preStop runs on delete', async () => {
    const mark = join(c.dir, 'prestop')
    mkdirSync(mark, { recursive: true })
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: crasher, labels: {t: crasher}}
spec:
  containers: [{name: c, image: ${IMAGE}, command: ["sh", "-c", "exit 2"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: nopull, labels: {t: nopull}}
spec:
  containers: [{name: c, image: kubun-e2e/absent:1, imagePullPolicy: Never}]
---
apiVersion: v1
kind: Pod
metadata: {name: stopper, labels: {t: stopper}}
spec:
  terminationGracePeriodSeconds: 5
  containers:
  - name: c
    image: ${IMAGE}
    command: ["sh", "-c", "trap 'echo term >> /mark/log; exit 0' TERM; while true; do sleep 0.2; done"]
    lifecycle: {preStop: {exec: {command: ["sh", "-c", "echo prestop >> /mark/log"]}}}
    volumeMounts: [{name: mark, mountPath: /mark}]
  volumes: [{name: mark, hostPath: {path: ${mark}}}]
`)
    const waiting = async (t: string) =>
      (await pods(`t=${t}`))[0]?.status?.containerStatuses?.[0]?.state?.waiting?.reason
    await waitFor('CrashLoopBackOff', async () => (await waiting('crasher')) === 'CrashLoopBackOff', 30_000, c.logs)
    const cs = (await pods('t=crasher'))[0].status.containerStatuses[0]
    expect(cs.restartCount).toBeGreaterThanOrEqual(1)
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 2, reason: 'Error' })
    expect(await c.kubectl(['get', 'pod', 'crasher', '--no-headers'])).toContain('CrashLoopBackOff')
    await waitFor('ErrImageNeverPull', async () => (await waiting('nopull')) === 'ErrImageNeverPull')
    await waitFor('stopper ready', async () => ready((await pods('t=stopper'))[0] ?? {}))
    await c.kubectl(['delete', 'pod', 'stopper'])
    expect(await Bun.file(join(mark, 'log')).text()).toBe('prestop\nterm\n')
    await c.kubectl(['delete', 'pod', 'crasher', 'nopull', '--grace-period=1'])
  }, 90_000)

  test('securityContext and resources reach the container (user, read-only root, memory and CPU cgroup)', async () => {
    await c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: secure, labels: {t: secure}}
spec:
  restartPolicy: Never
  securityContext: {runAsUser: 65534, runAsGroup: 65534}
  containers:
  - name: c
    image: ${IMAGE}
    command: ["sh", "-c", "id -u; id -g; touch /x 2>/dev/null || echo read-only; cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max"]
    securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false}
    resources: {limits: {memory: 32Mi, cpu: 250m}}
`)
    await waitFor(
      'secure Succeeded',
      async () => (await pods('t=secure'))[0]?.status?.phase === 'Succeeded',
      60_000,
      c.logs,
    )
    const lines = (await c.kubectl(['logs', 'secure'])).trim().split('\n')
    expect(lines.slice(0, 3)).toEqual(['65534', '65534', 'read-only'])
    expect(lines[3]).toBe('33554432')
    expect(lines[4]).toMatch(/^25000/)
    expect((await pods('t=secure'))[0].status.qosClass).toBe('Guaranteed')
  }, 70_000)

  test('a Job completes', async () => {
    await c.apply(`
apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: ${IMAGE}, command: ["sh", "-c", "echo done"]}]
`)
    await waitFor(
      'job complete',
      async () => {
        const j = JSON.parse(await c.kubectl(['get', 'job', 'once', '-o', 'json']))
        return (j.status?.succeeded ?? 0) === 1
      },
      60_000,
      c.logs,
    )
  }, 90_000)

  test('stopping the server leaves pods serving; restarting it restarts no healthy container', async () => {
    const before = (
      await sh(['docker', 'ps', '-q', '--no-trunc', '--filter', `label=io.kubun.node=${c.nodeName}`])
    ).stdout
      .split('\n')
      .filter(Boolean)
      .sort()
    const svc = JSON.parse(await c.kubectl(['get', 'svc', 'web', '-o', 'json']))
    await c.stopServer()
    expect(await curl(`http://${svc.spec.clusterIP}/`)).toContain('hello-web-')
    await c.startServer()
    await Bun.sleep(3000)
    const after = (
      await sh(['docker', 'ps', '-q', '--no-trunc', '--filter', `label=io.kubun.node=${c.nodeName}`])
    ).stdout
      .split('\n')
      .filter(Boolean)
      .sort()
    expect(after).toEqual(before)
    expect((await pods('app=web')).filter(ready)).toHaveLength(2)
  }, 120_000)

  test('deleting the Deployment removes containers, veths and IP allocations', async () => {
    const uids = (await pods('app=web')).map((p) => p.metadata.uid)
    const ipamDir = join(c.dataDir, 'agent', 'cni', 'networks', 'kubun')
    const ips = (await pods('app=web')).map((p) => p.status.podIP)
    await c.kubectl(['delete', 'deployment', 'web'])
    await waitFor('web pods gone', async () => (await pods('app=web')).length === 0, 60_000, c.logs)
    for (const uid of uids) expect(await containersOf(uid)).toEqual([])
    const held = existsSync(ipamDir) ? readdirSync(ipamDir) : []
    for (const ip of ips) expect(held).not.toContain(ip)
    const veths = (await sh(['ip', '-o', 'link', 'show', 'master', 'cni0'])).stdout.split('\n').filter(Boolean)
    // remaining veths: static-web, client, live, flaky, follower (finished pods' sandboxes are stopped)
    expect(veths.length).toBe(5)
  }, 90_000)
})
