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
const docker = Bun.spawnSync(['docker', 'info', '--format', '{{.ServerVersion}}'], { stderr: 'ignore' }).exitCode === 0
if (process.argv.includes('--skip-agent')) console.log('\nagent part skipped (--skip-agent)')
else if (process.getuid?.() !== 0 || !docker) console.log('\nagent part skipped: needs root and Docker')
else if (otherAgent) console.log(`\nagent part skipped: another kubun agent is running on this host (${agentPid})`)
else {
  const a = await measureAgent([process.execPath, 'src/main.ts'])
  console.log(`\n| server + in-process agent (first start) | → /readyz | → node Ready | RSS idle ${idleS} s |`)
  console.log('|---|---|---|---|')
  console.log(`| bun src/main.ts | ${a.ready.toFixed(0)} ms | ${a.nodeReady.toFixed(0)} ms | ${a.rss.toFixed(0)} MB |`)
}

/** RSS of a process and its descendants (the agent runs in-process; anything it spawns counts too). */
function treeRssMb(pid: number): number {
  let children: number[] = []
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
  } catch {}
  return rssMb(pid) + children.reduce((n, c) => n + treeRssMb(c), 0)
}

/** A server with its local agent on a fresh data dir: spawn → /readyz → this host's Node Ready, then idle RSS. */
async function measureAgent(cmd: string[]) {
  console.error(`measuring ${cmd.join(' ')} with the agent`)
  const dir = mkdtempSync(join(tmpdir(), 'kubun-startup-agent-'))
  const port = await freePort()
  const kc = join(dir, 'kubeconfig.yaml')
  const t0 = performance.now()
  const args = ['--data-dir', join(dir, 'data'), '--https-listen-port', String(port), '--write-kubeconfig', kc]
  const child = Bun.spawn([...cmd, 'server', ...args], {
    cwd: repo,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { ...process.env, KUBUN_LOG_LEVEL: 'warn' },
  })
  let log = ''
  ;(async () => {
    for await (const chunk of child.stderr as ReadableStream<Uint8Array>)
      log = (log + new TextDecoder().decode(chunk)).slice(-4000)
  })()
  try {
    const ready = await waitReady(port, child, t0)
    let nodeReady = Number.NaN
    while (performance.now() - t0 < 120_000 && child.exitCode === null) {
      const r = Bun.spawnSync([
        'kubectl',
        '--kubeconfig',
        kc,
        'get',
        'nodes',
        '-o',
        'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}',
      ])
      if (r.stdout.toString().includes('True')) {
        nodeReady = performance.now() - t0
        break
      }
      await Bun.sleep(200)
    }
    if (Number.isNaN(nodeReady)) throw new Error(`the node did not become Ready:\n${log}`)
    await Bun.sleep(idleS * 1000)
    return { ready, nodeReady, rss: treeRssMb(child.pid) }
  } finally {
    child.kill('SIGTERM')
    const r = await Promise.race([child.exited, Bun.sleep(30_000).then(() => 'timeout')])
    if (r === 'timeout') child.kill('SIGKILL')
    await child.exited
    rmSync(dir, { recursive: true, force: true })
  }
}
