// Added latency of the TLS front (node:tls → loopback pipe → Bun.serve) against Bun.serve's own TLS.
// Prints p50/p99 per request over keep-alive connections, sequential and 16 in parallel, and per new
// connection (handshake included). Run: bun bench/tls-front.ts
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTlsFront } from '../src/server/tls/front.ts'
import { ensurePki } from '../src/server/tls/pki.ts'

process.env.KUBUN_LOG_LEVEL ??= 'warn'
const dir = await mkdtemp(join(tmpdir(), 'kubun-bench-tls-'))
const pki = await ensurePki({ dataDir: dir, sans: [], ips: [] })
const body = JSON.stringify({ kind: 'Pod', metadata: { name: 'x'.repeat(200) } })
const plain = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  tls: {
    cert: pki.serving.certPem,
    key: pki.serving.keyPem,
    ca: pki.clientCa.certPem,
    requestCert: true,
    rejectUnauthorized: false,
  },
  fetch: () => new Response(body, { headers: { 'content-type': 'application/json' } }),
})
const front = await startTlsFront({
  host: '127.0.0.1',
  port: 0,
  pki,
  backend: { fetch: () => new Response(body, { headers: { 'content-type': 'application/json' } }) },
})

const tlsOpts = { ca: pki.serverCa.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem }
const pct = (xs: number[], p: number) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]

async function run(port: number, n: number, parallel: number, keepAlive: boolean) {
  const times: number[] = []
  let next = 0
  const worker = async () => {
    while (next++ < n) {
      const t = performance.now()
      const r = await fetch(`https://127.0.0.1:${port}/api/v1/pods`, { tls: tlsOpts, keepalive: keepAlive } as any)
      await r.text()
      times.push(performance.now() - t)
    }
  }
  const t0 = performance.now()
  await Promise.all(Array.from({ length: parallel }, worker))
  const secs = (performance.now() - t0) / 1000
  return { p50: pct(times, 0.5), p99: pct(times, 0.99), rps: n / secs }
}

const fmt = (r: { p50: number; p99: number; rps: number }) =>
  `p50 ${r.p50.toFixed(3)} ms  p99 ${r.p99.toFixed(3)} ms  ${r.rps.toFixed(0)} req/s`
for (const [label, n, par, ka] of [
  ['keep-alive, sequential', 3000, 1, true],
  ['keep-alive, 16 parallel', 10000, 16, true],
  ['new connection each', 300, 1, false],
] as const) {
  await run(plain.port!, 200, par, ka) // warm-up
  await run(front.port, 200, par, ka)
  const a = await run(plain.port!, n, par, ka)
  const b = await run(front.port, n, par, ka)
  console.log(`${label.padEnd(26)} Bun.serve TLS: ${fmt(a)}`)
  console.log(`${''.padEnd(26)} TLS front:     ${fmt(b)}   (+${(b.p50 - a.p50).toFixed(3)} ms p50)`)
}
await front.stop()
await plain.stop(true)
await rm(dir, { recursive: true, force: true })
