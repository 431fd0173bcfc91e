// Pod start-up figures on real Docker through `kubun server` with its in-process agent (root + Docker):
//   1. `kubectl apply` of a 3-replica Deployment (image present) → all 3 Ready
//   2. pod start p50/p99 over 30 pods (creationTimestamp → Ready condition), applied at once
//   3. server+agent RSS idle and with 30 pods
// Usage: bun bench/pods.ts     (cleans up everything it made, even on failure)
import { DockerRuntime } from '../src/agent/runtime/docker.ts'
import { ensurePauseImage } from '../src/agent/runtime/images.ts'
import {
  buildBusyboxImage,
  type Cluster,
  canRunKubeletE2E,
  sh,
  startCluster,
  waitFor,
} from '../test/e2e/kubelet-harness.ts'

if (!canRunKubeletE2E('bench/pods.ts')) process.exit(0)

const IMAGE = `kubun-bench/busybox:${Math.random().toString(16).slice(2, 8)}`

const deployment = (name: string, replicas: number) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: ${IMAGE}
        command: ["httpd", "-f", "-p", "80", "-h", "/"]
`

async function readyPods(c: Cluster, app: string): Promise<any[]> {
  const items = JSON.parse(await c.kubectl(['get', 'pods', '-l', `app=${app}`, '-o', 'json'])).items
  return items.filter((p: any) => p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True'))
}

/** RSS of the server process tree (server and in-process agent are one process), in MB. */
async function rssMb(c: Cluster): Promise<number> {
  const pid = (await sh(['pgrep', '-f', '--', `--data-dir ${c.dataDir}`])).stdout.trim().split('\n')[0]
  const status = await Bun.file(`/proc/${pid}/status`).text()
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

const pct = (xs: number[], p: number) =>
  xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]

/** Docker's own floor on this host: 30 pause containers created and started at once. */
async function dockerBaselineMs(): Promise<number> {
  const rt = new DockerRuntime()
  const image = await ensurePauseImage(rt)
  const t0 = performance.now()
  const ids = await Promise.all(
    Array.from({ length: 30 }, async (_, i) => {
      const id = await rt.create({ name: `kubun-bench-${process.pid}-${i}`, image, labels: {}, networkMode: 'none' })
      await rt.start(id)
      return id
    }),
  )
  const ms = performance.now() - t0
  await Promise.all(ids.map((id) => rt.remove(id)))
  return ms
}

let cluster: Cluster | undefined
try {
  const baseline = await dockerBaselineMs()
  await buildBusyboxImage(IMAGE)
  cluster = await startCluster()
  const c = cluster
  await c.startServer()
  await Bun.sleep(5000)
  const idle = await rssMb(c)

  const t0 = performance.now()
  await c.apply(deployment('three', 3))
  await waitFor('3 ready', async () => (await readyPods(c, 'three')).length === 3, 120_000)
  const threeReady = performance.now() - t0

  await c.kubectl(['delete', 'deployment', 'three', '--wait=false'])
  await c.apply(deployment('thirty', 30))
  await waitFor('30 ready', async () => (await readyPods(c, 'thirty')).length === 30, 300_000)
  const starts = (await readyPods(c, 'thirty')).map((p) => {
    const readyAt = Date.parse(p.status.conditions.find((x: any) => x.type === 'Ready').lastTransitionTime)
    return readyAt - Date.parse(p.metadata.creationTimestamp)
  })
  await Bun.sleep(3000)
  const busy = await rssMb(c)

  console.log('kubun pods bench (real Docker, in-process agent)')
  console.log(`  apply → 3 replicas Ready        ${(threeReady / 1000).toFixed(2)} s   (target ≤ 2 s)`)
  console.log(`  pod start over 30 pods (s res.)  p50 ${pct(starts, 50) / 1000} s   p99 ${pct(starts, 99) / 1000} s`)
  console.log(`  Docker alone: 30 containers       ${(baseline / 1000).toFixed(1)} s   (a pod is 2 containers)`)
  console.log(`  RSS server+agent idle            ${idle.toFixed(0)} MB   (target ≤ 150 MB)`)
  console.log(`  RSS server+agent with 30 pods    ${busy.toFixed(0)} MB`)
} finally {
  await cluster?.cleanup()
  await sh(['docker', 'rmi', '-f', IMAGE], { allowFail: true })
}
