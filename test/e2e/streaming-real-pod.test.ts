// Streaming to a real pod: `kubun server` with its in-process agent (kubelet, cni0, kubelet API on
// :10250) and a Deployment created with kubectl, then kubectl logs/exec/cp/port-forward as a user would
// run them (the acceptance path: the kubelet API's certificate comes from the agent's join).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { freePort } from '../integration/kubectl-harness.ts'
import {
  buildBusyboxImage,
  type Cluster,
  canRunKubeletE2E,
  KUBECTL,
  sh,
  startCluster,
  waitFor,
} from './kubelet-harness.ts'

const enabled = canRunKubeletE2E('streaming to a real pod e2e')
const IMAGE = `kubun-e2e/busybox:${Math.random().toString(16).slice(2, 8)}`
let c: Cluster

const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: talk}
spec:
  replicas: 1
  selector: {matchLabels: {app: talk}}
  template:
    metadata: {labels: {app: talk}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: ${IMAGE}
        imagePullPolicy: Never
        command: ["sh", "-c", "mkdir -p /www && echo served-by-$(hostname) > /www/index.html && echo talk-started && exec httpd -f -p 8080 -h /www"]
        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
`

describe.skipIf(!enabled)('kubectl logs/exec/cp/port-forward to a real pod', () => {
  let pod: string
  beforeAll(async () => {
    await buildBusyboxImage(IMAGE)
    c = await startCluster()
    await c.startServer()
    await c.apply(deployment)
    await waitFor(
      'the talk pod Ready',
      async () => {
        const items = JSON.parse(await c.kubectl(['get', 'pods', '-l', 'app=talk', '-o', 'json'])).items
        pod = items[0]?.metadata?.name
        return items.some((p: any) => p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True'))
      },
      90_000,
      c.logs,
    )
  }, 180_000)

  afterAll(async () => {
    await c?.cleanup()
    await sh(['docker', 'rmi', '-f', IMAGE], { allowFail: true })
  }, 60_000)

  test('logs by deployment and by label', async () => {
    expect(await c.kubectl(['logs', 'deploy/talk'])).toBe('talk-started\n')
    expect(await c.kubectl(['logs', '-l', 'app=talk', '--prefix'])).toContain(`[pod/${pod}/httpd] talk-started`)
  })

  test('exec with an exit code, and cp both ways', async () => {
    const r = await sh([KUBECTL, 'exec', pod, '--', 'sh', '-c', 'hostname; exit 5'], {
      allowFail: true,
      env: { KUBECONFIG: c.kubeconfig, KUBECACHEDIR: `${c.dir}/kubecache` },
    })
    expect([r.code, r.stdout]).toEqual([5, `${pod}\n`])
    await c.kubectl(['cp', `${pod}:/www/index.html`, `${c.dir}/index.html`])
    expect(await Bun.file(`${c.dir}/index.html`).text()).toBe(`served-by-${pod}\n`)
    await c.kubectl(['cp', `${c.dir}/index.html`, `${pod}:/tmp/copy.html`])
    expect(await c.kubectl(['exec', pod, '--', 'cat', '/tmp/copy.html'])).toBe(`served-by-${pod}\n`)
  })

  test('port-forward to the pod (over the pod network)', async () => {
    const port = await freePort()
    const p = Bun.spawn([KUBECTL, 'port-forward', 'deploy/talk', `${port}:8080`], {
      env: { ...process.env, KUBECONFIG: c.kubeconfig, KUBECACHEDIR: `${c.dir}/kubecache` },
      stdout: 'pipe',
      stderr: 'pipe',
    })
    try {
      const r = p.stdout.getReader()
      let out = ''
      while (!out.includes('Forwarding from')) {
        const { value, done } = await r.read()
        if (done) break
        out += new TextDecoder().decode(value)
      }
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe(`served-by-${pod}\n`)
    } finally {
      p.kill()
      await p.exited
    }
  })
})
