// Many clients, each with its own client certificate (as many agents / simulated nodes), against the real
// server over its HTTPS front: N clients do M small requests each (GET of their Node, then PATCH of its
// status, alternating), all N at once. Prints requests/s, p50/p99, and how many TCP connections the server
// saw (established + closed, from `ss` on the server port: one per TLS handshake).
//   bun bench/tls-clients.ts [--clients 100] [--requests 40] [--mode http|shared]
//   --mode shared: every client uses the first one's identity (one connection pool), for comparison.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { credentialsFromKubeconfig, HttpClient } from '../src/server/client/http.ts'
import { issueLeaf } from '../src/server/tls/certs.ts'
import { freePort } from '../test/integration/kubectl-harness.ts'
import { percentile as pct } from './stats.ts'

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : def
}
const CLIENTS = Number(arg('clients', '100'))
const REQUESTS = Number(arg('requests', '40'))
const MODE = arg('mode', 'http')

const repo = resolve(import.meta.dir, '..')
const dir = mkdtempSync(join(tmpdir(), 'kubun-tls-clients-'))
const port = await freePort()
const kubeconfig = join(dir, 'kubeconfig.yaml')
const server = Bun.spawn(
  [
    process.execPath,
    'src/main.ts',
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
  ],
  { cwd: repo, stdout: 'ignore', stderr: 'ignore', env: { ...process.env, KUBUN_LOG_LEVEL: 'warn' } },
)
const cleanup = () => {
  server.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
}
process.once('SIGINT', () => {
  cleanup()
  process.exit(130)
})

/** TCP connections to the server port by state, server side (sport) or client side (dport): a
 * connection closed by the client leaves its TIME-WAIT on the client side. */
function connections(side: 'sport' | 'dport'): Record<string, number> {
  const out = Bun.spawnSync(['ss', '-Htan', `( ${side} = :${port} )`]).stdout.toString()
  const counts: Record<string, number> = {}
  for (const line of out.split('\n')) {
    const state = line.trim().split(/\s+/)[0]
    if (state && state !== 'LISTEN') counts[state] = (counts[state] ?? 0) + 1
  }
  return counts
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
  const nodes = { group: '', version: 'v1', resource: 'nodes' }
  const clients: HttpClient[] = []
  for (let i = 0; i < CLIENTS; i++) {
    const name = `bench-${i}`
    await admin.create(nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name } })
    const idx = MODE === 'shared' ? 0 : i
    const cert =
      clients[0] && MODE === 'shared'
        ? undefined
        : await issueLeaf(clientCa, { cn: `system:node:bench-${idx}`, orgs: ['system:nodes'], days: 1 })
    clients.push(cert ? new HttpClient({ ...adminCreds, cert: cert.certPem, key: cert.keyPem }) : clients[0])
  }
  const before = connections('sport')
  const times: number[] = []
  const t0 = performance.now()
  await Promise.all(
    clients.map(async (c, i) => {
      const name = `bench-${i}`
      for (let r = 0; r < REQUESTS; r++) {
        const s = performance.now()
        if (r % 2 === 0) await c.get(nodes, name)
        else
          await c.patch(
            nodes,
            name,
            'merge',
            { status: { capacity: { pods: String(100 + r) } } },
            { subresource: 'status' },
          )
        times.push(performance.now() - s)
      }
    }),
  )
  const secs = (performance.now() - t0) / 1000
  const after = connections('sport')
  const clientSide = connections('dport')
  const total = CLIENTS * REQUESTS
  const fmt = (c: Record<string, number>) =>
    Object.entries(c)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none'
  console.log(`mode ${MODE}: ${CLIENTS} clients × ${REQUESTS} requests (GET node / PATCH node status)`)
  console.log(`  ${total} requests in ${secs.toFixed(2)} s = ${(total / secs).toFixed(0)} req/s`)
  console.log(`  latency p50 ${pct(times, 50).toFixed(1)} ms, p99 ${pct(times, 99).toFixed(1)} ms`)
  console.log(`  server-side TCP connections before: ${fmt(before)}; after: ${fmt(after)}`)
  console.log(`  client-side after: ${fmt(clientSide)}`)
  // Each request must be served as its own client's identity, whatever connection it went over.
  let wrong = 0
  await Promise.all(
    clients.map(async (c, i) => {
      for (let r = 0; r < 3; r++) {
        const review = await c.request<any>('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'SelfSubjectReview',
        })
        if (review.status?.userInfo?.username !== `system:node:bench-${MODE === 'shared' ? 0 : i}`) wrong++
      }
    }),
  )
  console.log(`  requests served as another client's identity: ${wrong} of ${CLIENTS * 3}`)
} finally {
  cleanup()
}
