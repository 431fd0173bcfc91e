// API server figures: create latency (p50/p99) at offered rates of 100, 500 and 1000 creates/s with 100
// watches open, list latency over 10k objects, and the server's RSS idle and under load.
// Runs `kubun server --disable-agent` as a child (sqlite in a temp dir) and drives it over HTTPS with the
// HTTP client, open-loop (requests are sent on schedule, not after the previous one answers).
//   bun bench/api.ts [--seconds 3] [--datastore memory://]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { credentialsFromKubeconfig, HttpClient } from '../src/server/client/http.ts'
import { freePort } from '../test/integration/kubectl-harness.ts'
import { controlPlaneArgs } from '../test/support/server-args.ts'
import { percentile as pct } from './stats.ts'

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : def
}
const SECONDS = Number(arg('seconds', '3'))
const DATASTORE = arg('datastore', '')
const RATES = [100, 500, 1000]
const WATCHES = Number(arg('watches', '100'))
const LIST_OBJECTS = 10_000

const repo = resolve(import.meta.dir, '..')
const dir = mkdtempSync(join(tmpdir(), 'kubun-bench-'))
const port = await freePort()
const kubeconfig = join(dir, 'kubeconfig.yaml')
const child = Bun.spawn(
  [process.execPath, ...controlPlaneArgs(dir, port, kubeconfig, DATASTORE ? ['--datastore-endpoint', DATASTORE] : [])],
  { cwd: repo, env: { ...process.env, KUBUN_LOG_LEVEL: 'warn' }, stdout: 'ignore', stderr: 'pipe' },
)

const rssMiB = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : Number.NaN
}
const ms = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(1))

try {
  // Ready once the kubeconfig exists and /readyz answers.
  const deadline = Date.now() + 60_000
  let client: HttpClient | undefined
  while (Date.now() < deadline) {
    if (await Bun.file(kubeconfig).exists()) {
      client = new HttpClient(credentialsFromKubeconfig(kubeconfig))
      const ok = await client.fetch('/readyz').then(
        (r) => r.ok,
        () => false,
      )
      if (ok) break
    }
    await Bun.sleep(100)
  }
  if (!client) throw new Error('server did not become ready')
  const ns = { group: '', version: 'v1', resource: 'namespaces' }
  await client.create(ns, { metadata: { name: 'bench' } })
  const cms = { group: '', version: 'v1', resource: 'configmaps', namespace: 'bench' }
  await Bun.sleep(1000)
  const idleRss = rssMiB()

  const list = await client.list(cms)
  // Watch clients run in their own process: their JSON parsing must not delay the create driver.
  const watchers = Bun.spawn(
    [
      process.execPath,
      join(import.meta.dir, 'api-watchers.ts'),
      kubeconfig,
      'bench',
      list.resourceVersion,
      String(WATCHES),
    ],
    { stdin: 'pipe', stdout: 'pipe', stderr: 'inherit' },
  )
  const lines = watchers.stdout.pipeThrough(new TextDecoderStream()).getReader()
  let buffered = ''
  const nextLine = async () => {
    while (!buffered.includes('\n')) {
      const { done, value } = await lines.read()
      if (done) throw new Error('watch process ended')
      buffered += value
    }
    const i = buffered.indexOf('\n')
    const line = buffered.slice(0, i)
    buffered = buffered.slice(i + 1)
    return line
  }
  const delivered = async () => {
    watchers.stdin.write('\n')
    watchers.stdin.flush()
    return Number(await nextLine())
  }
  await nextLine() // ready

  const rows: string[][] = []
  let peakRss = rssMiB()
  let seq = 0
  for (const rate of RATES) {
    const total = rate * SECONDS
    const lat: number[] = []
    let errors = 0
    const start = performance.now()
    const inflight: Promise<void>[] = []
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate
      const wait = due - performance.now()
      if (wait > 1) await Bun.sleep(wait)
      const t0 = performance.now()
      inflight.push(
        client.create(cms, { metadata: { name: `cm-${seq++}` }, data: { k: 'v'.repeat(64) } }).then(
          () => void lat.push(performance.now() - t0),
          () => void errors++,
        ),
      )
      if (i % 100 === 0) peakRss = Math.max(peakRss, rssMiB())
    }
    await Promise.all(inflight)
    const elapsed = (performance.now() - start) / 1000
    peakRss = Math.max(peakRss, rssMiB())
    rows.push([
      `create @ ${rate}/s offered`,
      `${(lat.length / elapsed).toFixed(0)}/s done`,
      ms(pct(lat, 50)),
      ms(pct(lat, 99)),
      String(errors),
    ])
  }
  const expected = seq * WATCHES
  const until = Date.now() + 10_000
  let got = await delivered()
  while (got < expected && Date.now() < until) {
    await Bun.sleep(200)
    got = await delivered()
  }
  watchers.stdin.end()
  await watchers.exited

  // Fill up to 10k objects, 50 at a time.
  while (seq < LIST_OBJECTS) {
    const batch = Array.from({ length: Math.min(50, LIST_OBJECTS - seq) }, () =>
      client.create(cms, { metadata: { name: `cm-${seq++}` }, data: { k: 'v'.repeat(64) } }),
    )
    await Promise.all(batch)
  }
  const full: number[] = []
  const cached: number[] = []
  const paged: number[] = []
  for (let i = 0; i < 5; i++) {
    let t0 = performance.now()
    const all = await client.list(cms)
    full.push(performance.now() - t0)
    if (all.items.length < LIST_OBJECTS) throw new Error(`listed ${all.items.length} objects`)
    t0 = performance.now()
    await client.list(cms, { resourceVersion: '0' })
    cached.push(performance.now() - t0)
    t0 = performance.now()
    await client.list(cms, { limit: 500 })
    paged.push(performance.now() - t0)
  }
  peakRss = Math.max(peakRss, rssMiB())
  rows.push([`list ${LIST_OBJECTS} (consistent)`, '', ms(pct(full, 50)), ms(Math.max(...full)), '0'])
  rows.push([`list ${LIST_OBJECTS} (rv=0, cache)`, '', ms(pct(cached, 50)), ms(Math.max(...cached)), '0'])
  rows.push(['list limit=500 (first page)', '', ms(pct(paged, 50)), ms(Math.max(...paged)), '0'])

  const header = ['case', 'throughput', 'p50 ms', 'p99/max ms', 'errors']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ')
  console.log(`kubun API bench: ${WATCHES} watches open, ${SECONDS}s per rate, datastore ${DATASTORE || 'sqlite'}`)
  console.log(line(header))
  for (const r of rows) console.log(line(r))
  console.log(`watch events delivered: ${got} of ${expected}`)
  console.log(`server RSS: idle ${idleRss.toFixed(0)} MiB, peak under load ${peakRss.toFixed(0)} MiB`)
} finally {
  child.kill('SIGTERM')
  await child.exited
  rmSync(dir, { recursive: true, force: true })
}
