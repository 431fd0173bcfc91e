// Control-plane scale: N simulated nodes (`kubun simulate` as a child) and P pods per node from
// Deployments of 300 replicas (or fewer). Prints the time from creating the Deployments to every pod
// Running, scheduler throughput (binds/s between the first and the last bind), API latency p50/p99 for
// get / list / watch (a ConfigMap create → its watch event) sampled during the run, and server RSS.
//   bun bench/scale.ts [--nodes 100] [--pods-per-node 30] [--datastore memory://]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { credentialsFromKubeconfig, HttpClient } from '../src/server/client/http.ts'
import { SchedulerCache } from '../src/server/scheduler/cache.ts'
import { runCycle } from '../src/server/scheduler/framework.ts'
import { node, pod } from '../src/server/scheduler/testing.ts'
import { freePort } from '../test/integration/kubectl-harness.ts'
import { percentile as pct } from './stats.ts'

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : def
}
const NODES = Number(arg('nodes', '100'))
const PER_NODE = Number(arg('pods-per-node', '30'))
const DATASTORE = arg('datastore', '')
const TOTAL = NODES * PER_NODE
const REPLICAS = Math.min(300, TOTAL)

const repo = resolve(import.meta.dir, '..')
const dir = mkdtempSync(join(tmpdir(), 'kubun-scale-'))
const port = await freePort()
const kubeconfig = join(dir, 'kubeconfig.yaml')
const children: ReturnType<typeof Bun.spawn>[] = []
// Ctrl-C: take the children and the temp dir down too
process.once('SIGINT', () => {
  for (const c of children) c.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
  process.exit(130)
})
// a /16 holds 256 node /24s (as upstream): bigger runs need a bigger --cluster-cidr
const CLUSTER_CIDR = NODES > 250 ? '10.64.0.0/10' : '10.42.0.0/16'

function spawn(args: string[], ready: string): Promise<ReturnType<typeof Bun.spawn>> {
  const child = Bun.spawn([process.execPath, 'src/main.ts', ...args], {
    cwd: repo,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { ...process.env, KUBUN_LOG_LEVEL: 'info' },
  })
  children.push(child)
  let log = ''
  return new Promise((res, rej) => {
    ;(async () => {
      const reader = child.stderr.getReader()
      const dec = new TextDecoder()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return rej(new Error(`${args[0]} exited:\n${log.slice(-2000)}`))
        log += dec.decode(value)
        if (log.length > 100_000) log = log.slice(-20_000)
        if (log.includes(ready)) res(child)
      }
    })()
  })
}

const rssMb = (pid: number, field = 'VmRSS') => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Math.round(Number(m[1]) / 1024) : -1
}
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms (n=${xs.length})`

/** The scheduler's own cost: cycles against its cache with no API in the way. */
function pureSchedulerFigure(): string {
  const cache = new SchedulerCache()
  for (let i = 0; i < NODES; i++) cache.upsertNode(node(`n${i}`, { pods: Math.max(110, PER_NODE) }))
  const t0 = performance.now()
  for (let i = 0; i < TOTAL; i++) {
    const p = pod(`p${i}`, {}, { labels: { app: `d${i % 100}` } })
    const r = runCycle(p, { nodes: cache.nodeInfos(), podsWithAffinity: [] }, { start: i })
    if (r.node) cache.addPod(p, r.node.node.metadata?.name ?? '')
  }
  const s = (performance.now() - t0) / 1000
  return `scheduler cycles alone: ${TOTAL} pods on ${NODES} nodes in ${s.toFixed(1)} s → ${(TOTAL / s).toFixed(0)} pods/s`
}

try {
  console.log(pureSchedulerFigure())
  const server = await spawn(
    [
      'server',
      '--data-dir',
      join(dir, 'data'),
      '--https-listen-port',
      String(port),
      '--bind-address',
      '127.0.0.1',
      '--write-kubeconfig',
      kubeconfig,
      '--disable-agent',
      '--cluster-cidr',
      CLUSTER_CIDR,
      ...(DATASTORE ? ['--datastore-endpoint', DATASTORE] : []),
    ],
    'kubun server ready',
  )
  const client = new HttpClient(credentialsFromKubeconfig(kubeconfig))
  const token = readFileSync(join(dir, 'data/server/node-token'), 'utf8').trim()
  const rssIdle = rssMb(server.pid)
  let t = performance.now()
  await spawn(
    ['simulate', '--server', `https://127.0.0.1:${port}`, '--token', token, '--nodes', String(NODES)],
    'simulated nodes registered',
  )
  const joinS = (performance.now() - t) / 1000
  console.log(
    `${NODES} nodes joined and registered in ${joinS.toFixed(1)} s; server RSS ${rssMb(server.pid)} MB (idle before: ${rssIdle} MB)`,
  )

  // progress from one watch: first/last bind, Running count
  const pods = { group: '', version: 'v1', resource: 'pods', namespace: 'scale' }
  const bound = new Set<string>()
  const running = new Set<string>()
  const created = new Set<string>()
  const milestones: Record<string, number> = {}
  const mark = (what: string, n: number) => {
    for (const q of [0.5, 1])
      if (n >= TOTAL * q && !milestones[`${what} ${q * 100}%`]) milestones[`${what} ${q * 100}%`] = performance.now()
  }
  let firstBind = 0
  let lastBind = 0
  let allRunning!: () => void
  const done = new Promise<void>((r) => (allRunning = r))
  const w = client.watch<any>(pods, { resourceVersion: '0' }, (e) => {
    const p = e.object
    const uid = p.metadata?.uid
    if (e.type === 'DELETED') return
    created.add(uid)
    mark('created', created.size)
    if (p.spec?.nodeName && !bound.has(uid)) {
      bound.add(uid)
      lastBind = performance.now()
      if (!firstBind) firstBind = lastBind
      mark('bound', bound.size)
    }
    if (p.status?.phase === 'Running') {
      running.add(uid)
      mark('running', running.size)
    }
    if (running.size >= TOTAL) allRunning()
  })
  w.done.catch((err) => console.error('progress watch ended:', err.message))

  // API latency sampler
  const lat = { get: [] as number[], list: [] as number[], watch: [] as number[] }
  let sampling = true
  const cms = { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' }
  const seen = new Map<string, (t: number) => void>()
  const cw = client.watch<any>(cms, { resourceVersion: '0' }, (e) =>
    seen.get(e.object.metadata?.name)?.(performance.now()),
  )
  const sampler = (async () => {
    for (let i = 0; sampling; i++) {
      let s = performance.now()
      await client.get({ group: '', version: 'v1', resource: 'nodes' }, `sim-${i % NODES}`)
      lat.get.push(performance.now() - s)
      s = performance.now()
      await client.list({ group: '', version: 'v1', resource: 'nodes' }, { limit: 500 })
      lat.list.push(performance.now() - s)
      const name = `probe-${i}`
      const got = new Promise<number>((r) => seen.set(name, r))
      s = performance.now()
      await client.create(cms, { metadata: { name } })
      lat.watch.push((await got) - s)
      seen.delete(name)
      await Bun.sleep(100)
    }
  })()

  const ns = { group: '', version: 'v1', resource: 'namespaces' }
  await client.create(ns, { metadata: { name: 'scale' } })
  t = performance.now()
  const deployments = { group: 'apps', version: 'v1', resource: 'deployments', namespace: 'scale' }
  for (let i = 0, left = TOTAL; left > 0; i++, left -= REPLICAS) {
    const replicas = Math.min(REPLICAS, left)
    const labels = { app: `d${i}` }
    await client.create(deployments, {
      metadata: { name: `d${i}` },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    })
  }
  let peak = 0
  const rssTimer = setInterval(() => (peak = Math.max(peak, rssMb(server.pid))), 1000)
  const timeout = Number(arg('timeout', String(Math.max(300, TOTAL / 20))))
  const finished = await Promise.race([done.then(() => true), Bun.sleep(timeout * 1000).then(() => false)])
  const allS = (performance.now() - t) / 1000
  clearInterval(rssTimer)
  sampling = false
  await sampler
  w.stop()
  cw.stop()
  console.log(
    finished
      ? `${TOTAL} pods (${Math.ceil(TOTAL / REPLICAS)} Deployments) all Running in ${allS.toFixed(1)} s`
      : `NOT all Running after ${timeout} s: ${running.size}/${TOTAL} Running, ${bound.size} bound`,
  )
  console.log(
    `timeline: ${Object.entries(milestones)
      .map(([k, v]) => `${k} at ${((v - t) / 1000).toFixed(1)} s`)
      .join(', ')}`,
  )
  const bindS = (lastBind - firstBind) / 1000
  console.log(
    `scheduler: ${bound.size} pods bound in ${bindS.toFixed(1)} s → ${(bound.size / Math.max(bindS, 0.001)).toFixed(0)} pods/s`,
  )
  console.log(`API get node: ${fmt(lat.get)}`)
  console.log(`API list nodes (limit 500): ${fmt(lat.list)}`)
  console.log(`API watch (create → event): ${fmt(lat.watch)}`)
  console.log(
    `server RSS: ${rssMb(server.pid)} MB now, ${peak} MB peak sampled, ${rssMb(server.pid, 'VmHWM')} MB high-water`,
  )
  console.log(`simulator RSS: ${rssMb(children[1].pid)} MB`)
} finally {
  for (const c of children.reverse()) c.kill('SIGTERM')
  await Promise.all(children.map((c) => Promise.race([c.exited, Bun.sleep(5000)])))
  for (const c of children) c.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
}
