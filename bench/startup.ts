// Start-up time and idle memory of `kubun server` (from source with bun, and the compiled dist/kubun):
// time from spawn to /readyz answering 200, for a first start (PKI generation, fresh data dir) and a
// second start on the same data dir, then the server's RSS after 10 s idle.
//   bun bench/startup.ts [--idle 10] [--skip-binary] [--repo DIR] [--runs 3]
// --repo: measure another checkout (e.g. a `git worktree` of an older commit) with this script.
// Figures are medians of --runs fresh data dirs (the machine may be busy).
// The agent part (node Ready, server+agent RSS) needs root, Docker and no other kubun agent on this host;
// it is skipped with a note otherwise.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { freePort } from '../test/integration/kubectl-harness.ts'

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : def
}
const repo = resolve(arg('repo', resolve(import.meta.dir, '..')))
const idleS = Number(arg('idle', '10'))
const RUNS = Number(arg('runs', '3'))
const binary = join(repo, 'dist', 'kubun')

const rssMb = (pid: number) => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : Number.NaN
  } catch {
    return Number.NaN
  }
}

async function waitReady(port: number, child: ReturnType<typeof Bun.spawn>, t0: number): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) {
      const err = await new Response(child.stderr as ReadableStream).text()
      throw new Error(`server exited with ${child.exitCode} before /readyz:\n${err.slice(-2000)}`)
    }
    try {
      const r = await fetch(`https://127.0.0.1:${port}/readyz`, { tls: { rejectUnauthorized: false } } as RequestInit)
      if (r.status === 200) return performance.now() - t0
    } catch {}
    if (performance.now() - t0 > 60_000) throw new Error('server not ready after 60 s')
    await Bun.sleep(10)
  }
}

interface Run {
  first: number
  second: number
  rss: number
}

async function startOnce(cmd: string[], dataDir: string, kubeconfig: string, idle: number) {
  const port = await freePort()
  const args = [
    ...cmd,
    'server',
    '--data-dir',
    dataDir,
    '--https-listen-port',
    String(port),
    '--bind-address',
    '127.0.0.1',
    '--write-kubeconfig',
    kubeconfig,
    '--disable-agent',
  ]
  const t0 = performance.now()
  const child = Bun.spawn(args, {
    cwd: repo,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { ...process.env, KUBUN_LOG_LEVEL: 'warn' },
  })
  try {
    const ms = await waitReady(port, child, t0)
    let rss = Number.NaN
    if (idle) {
      await Bun.sleep(idle * 1000)
      rss = rssMb(child.pid)
    }
    return { ms, rss }
  } finally {
    child.kill('SIGTERM')
    const r = await Promise.race([child.exited, Bun.sleep(5000).then(() => 'timeout')])
    if (r === 'timeout') child.kill('SIGKILL')
    await child.exited
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function measure(cmd: string[]): Promise<Run> {
  const runs: Run[] = []
  for (let i = 0; i < RUNS; i++) runs.push(await measureOnce(cmd))
  return {
    first: median(runs.map((r) => r.first)),
    second: median(runs.map((r) => r.second)),
    rss: median(runs.map((r) => r.rss)),
  }
}

async function measureOnce(cmd: string[]): Promise<Run> {
  console.error(`measuring ${cmd.join(' ')}`)
  const dir = mkdtempSync(join(tmpdir(), 'kubun-startup-'))
  try {
    const data = join(dir, 'data')
    const kc = join(dir, 'kubeconfig.yaml')
    const first = await startOnce(cmd, data, kc, 0)
    const second = await startOnce(cmd, data, kc, idleS)
    return { first: first.ms, second: second.ms, rss: second.rss }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const rows: [string, Run][] = []
rows.push(['bun src/main.ts', await measure([process.execPath, 'src/main.ts'])])
if (!process.argv.includes('--skip-binary')) {
  if (!existsSync(binary)) {
    console.error('dist/kubun missing: building it (bun scripts/build.ts --target x64)')
    const b = Bun.spawnSync([process.execPath, 'scripts/build.ts', '--target', 'x64'], { cwd: repo, stderr: 'inherit' })
    if (b.exitCode !== 0) throw new Error('build failed')
  }
  rows.push(['dist/kubun', await measure([binary])])
}

console.log(
  `\n${repo} (median of ${RUNS})\n| server (--disable-agent) | first start → /readyz | second start → /readyz | RSS idle ${idleS} s |`,
)
console.log('|---|---|---|---|')
for (const [name, r] of rows) {
  console.log(`| ${name} | ${r.first.toFixed(0)} ms | ${r.second.toFixed(0)} ms | ${r.rss.toFixed(0)} MB |`)
}

const agentPid = '/run/kubun/agent.pid'
const otherAgent = (() => {
  try {
    const pid = Number(readFileSync(agentPid, 'utf8').trim())
    return pid > 0 && existsSync(`/proc/${pid}`)
  } catch {
    return false
  }
})()
if (process.getuid?.() !== 0) console.log('\nagent part skipped: needs root')
else if (otherAgent) console.log(`\nagent part skipped: another kubun agent is running on this host (${agentPid})`)
else console.log('\nagent part: not measured by this script yet (server-only figures above)')
