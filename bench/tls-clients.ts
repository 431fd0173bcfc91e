// Many clients, each with its own client certificate (as many agents / simulated nodes), against the real
// server over its HTTPS front: N clients do M small requests each (GET of their Node, then PATCH of its
// status, alternating), all N at once. Prints requests/s, p50/p99, the TCP connections on the server
// port afterwards (`ss`), and checks every client is served as itself.
//   bun bench/tls-clients.ts [--clients 100] [--requests 40] [--mode own|shared] [--processes 1]
//   --mode shared: every client uses the first one's identity (one pool of connections), for comparison.
//   --processes P: the clients are spread over P client processes (as P agents on P boxes would be).
// Finding (Bun 1.4.5): fetch keeps at most 64 idle keep-alive connections per process, evicting the
// longest idle; more identities than that in one process means TLS handshakes on most requests.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { credentialsFromKubeconfig, HttpClient, type HttpCredentials } from '../src/server/client/http.ts'
import { issueLeaf } from '../src/server/tls/certs.ts'
import { freePort } from '../test/integration/kubectl-harness.ts'
import { controlPlaneArgs } from '../test/support/server-args.ts'
import { percentile as pct } from './stats.ts'

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : def
}
const nodes = { group: '', version: 'v1', resource: 'nodes' }

interface Job {
  /** node name and the credentials it is served as (user system:node:<user>) */
  clients: { node: string; user: string; creds: HttpCredentials }[]
  requests: number
}
interface Result {
  t0: number
  t1: number
  times: number[]
  wrong: number
}

/** All clients at once, M requests each; then 3 SelfSubjectReviews each to check who they are served as. */
async function drive(job: Job): Promise<Result> {
  const byCreds = new Map<HttpCredentials, HttpClient>()
  const clients = job.clients.map((c) => {
    if (!byCreds.has(c.creds)) byCreds.set(c.creds, new HttpClient(c.creds))
    return { ...c, client: byCreds.get(c.creds)! }
  })
  const times: number[] = []
  const t0 = Date.now()
  await Promise.all(
    clients.map(async ({ client, node }) => {
      for (let r = 0; r < job.requests; r++) {
        const s = performance.now()
        if (r % 2 === 0) await client.get(nodes, node)
        else {
          const patch = { status: { capacity: { pods: String(100 + r) } } }
          await client.patch(nodes, node, 'merge', patch, { subresource: 'status' })
        }
        times.push(performance.now() - s)
      }
    }),
  )
  const t1 = Date.now()
  let wrong = 0
  await Promise.all(
    clients.map(async ({ client, user }) => {
      for (let r = 0; r < 3; r++) {
        const review = await client.request<any>('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'SelfSubjectReview',
        })
        if (review.status?.userInfo?.username !== `system:node:${user}`) wrong++
      }
    }),
  )
  return { t0, t1, times, wrong }
}

if (process.argv.includes('--worker')) {
  const job = JSON.parse(readFileSync(arg('worker', ''), 'utf8')) as Job
  console.log(JSON.stringify(await drive(job)))
  process.exit(0)
}

const CLIENTS = Number(arg('clients', '100'))
const REQUESTS = Number(arg('requests', '40'))
const MODE = arg('mode', 'own')
const PROCESSES = Number(arg('processes', '1'))

const repo = resolve(import.meta.dir, '..')
const dir = mkdtempSync(join(tmpdir(), 'kubun-tls-clients-'))
const port = await freePort()
const kubeconfig = join(dir, 'kubeconfig.yaml')
const server = Bun.spawn([process.execPath, ...controlPlaneArgs(dir, port, kubeconfig)], {
  cwd: repo,
  stdout: 'ignore',
  stderr: 'ignore',
  env: { ...process.env, KUBUN_LOG_LEVEL: 'warn' },
})
const cleanup = () => {
  server.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
}
process.once('SIGINT', () => {
  cleanup()
  process.exit(130)
})

/** TCP connections on the server port by state, server side (sport). */
function connections(): string {
  const out = Bun.spawnSync(['ss', '-Htan', `( sport = :${port} )`]).stdout.toString()
  const counts: Record<string, number> = {}
  for (const line of out.split('\n')) {
    const state = line.trim().split(/\s+/)[0]
    if (state && state !== 'LISTEN') counts[state] = (counts[state] ?? 0) + 1
  }
  return (
    Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none'
  )
}

/** Connections accepted host-wide (/proc/net/snmp Tcp PassiveOpens); other processes add a little noise. */
function passiveOpens(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Tcp:'))
  const [names, values] = lines.map((l) => l.split(/\s+/))
  return Number(values[names.indexOf('PassiveOpens')])
}

try {
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`https://127.0.0.1:${port}/readyz`, { tls: { rejectUnauthorized: false } } as RequestInit)
      if (r.ok) break
    } catch {}
    if (i > 600) throw new Error('server not ready after 60 s')
    await Bun.sleep(100)
  }
  const adminCreds = credentialsFromKubeconfig(kubeconfig)
  const admin = new HttpClient(adminCreds)
  const tlsDir = join(dir, 'data', 'server', 'tls')
  const clientCa = {
    certPem: readFileSync(join(tlsDir, 'client-ca.crt'), 'utf8'),
    keyPem: readFileSync(join(tlsDir, 'client-ca.key'), 'utf8'),
  }
  const jobs: Job[] = Array.from({ length: PROCESSES }, () => ({ clients: [], requests: REQUESTS }))
  let shared: HttpCredentials | undefined
  for (let i = 0; i < CLIENTS; i++) {
    const node = `bench-${i}`
    await admin.create(nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: node } })
    const user = MODE === 'shared' ? 'bench-0' : node
    let creds = MODE === 'shared' ? shared : undefined
    if (!creds) {
      const cert = await issueLeaf(clientCa, { cn: `system:node:${user}`, orgs: ['system:nodes'], days: 1 })
      creds = { ...adminCreds, cert: cert.certPem, key: cert.keyPem }
      shared = creds
    }
    jobs[i % PROCESSES].clients.push({ node, user, creds })
  }
  const before = connections()
  const opens0 = passiveOpens()
  let results: Result[]
  if (PROCESSES === 1) results = [await drive(jobs[0])]
  else {
    results = await Promise.all(
      jobs.map(async (job, i) => {
        const file = join(dir, `job-${i}.json`)
        writeFileSync(file, JSON.stringify(job))
        const w = Bun.spawn([process.execPath, import.meta.path, '--worker', file], {
          stdout: 'pipe',
          stderr: 'inherit',
        })
        const out = await new Response(w.stdout).text()
        if ((await w.exited) !== 0) throw new Error(`worker ${i} failed`)
        return JSON.parse(out) as Result
      }),
    )
  }
  // each TLS connection to the front is accepted twice: client → front, then front → internal listener
  const handshakes = Math.round((passiveOpens() - opens0) / 2)
  const secs = (Math.max(...results.map((r) => r.t1)) - Math.min(...results.map((r) => r.t0))) / 1000
  const times = results.flatMap((r) => r.times)
  const wrong = results.reduce((n, r) => n + r.wrong, 0)
  const total = CLIENTS * REQUESTS
  console.log(
    `${CLIENTS} clients (${MODE === 'shared' ? 'one shared identity' : 'own certificates'}) in ${PROCESSES} process(es) × ${REQUESTS} requests (GET node / PATCH node status)`,
  )
  console.log(`  ${total} requests in ${secs.toFixed(2)} s = ${(total / secs).toFixed(0)} req/s`)
  console.log(`  latency p50 ${pct(times, 50).toFixed(1)} ms, p99 ${pct(times, 99).toFixed(1)} ms`)
  console.log(`  server-side TCP connections before: ${before}; after: ${connections()}`)
  console.log(`  new TLS connections (≈ handshakes, from TcpPassiveOpens / 2, incl. the identity check): ${handshakes}`)
  console.log(`  requests served as another client's identity: ${wrong} of ${CLIENTS * 3}`)
} finally {
  cleanup()
}
