// Two etcd API targets behind one shape, so the same etcdctl checks (and the datastore bench) run
// against kubun's shim and against a real etcd 3.4: each starts on free 127.0.0.1 ports with its own
// temp data dir, can be killed with SIGKILL and restarted on the same dir, and cleans up after itself.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'

const repo = join(import.meta.dir, '..', '..')

export interface Target {
  name: 'kubun' | 'etcd'
  /** "127.0.0.1:PORT" */
  endpoint: string
  dataDir: string
  pid(): number
  /** SIGKILL, then start again on the same data dir and port. */
  crashAndRestart(): Promise<void>
  /** SIGTERM, wait for exit, remove the data dir. */
  stop(): Promise<void>
}

export const haveEtcdctl = () => Bun.which('etcdctl') !== null
export const haveEtcd = () => Bun.which('etcd') !== null

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}

export interface EtcdctlResult {
  code: number
  stdout: string
  stderr: string
}

export async function etcdctl(endpoint: string, args: string[], stdin?: string): Promise<EtcdctlResult> {
  const p = Bun.spawn(['etcdctl', `--endpoints=${endpoint}`, '--dial-timeout=3s', '--command-timeout=10s', ...args], {
    env: { ...process.env, ETCDCTL_API: '3' },
    stdin: stdin === undefined ? 'ignore' : new TextEncoder().encode(stdin),
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, code] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
    p.exited,
  ])
  return { code, stdout, stderr }
}

async function waitHealthy(endpoint: string, proc: Subprocess, what: string, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode} during start-up:\n${log()}`)
    const r = await etcdctl(endpoint, ['get', 'health', '--dial-timeout=1s'])
    if (r.code === 0) return
    await Bun.sleep(100)
  }
  throw new Error(`${what} did not answer on ${endpoint} within 30 s:\n${log()}`)
}

/** Collects a child's stderr so a failing start-up can show it. */
function capture(proc: Subprocess<'ignore', 'pipe', 'pipe'>): () => string {
  let text = ''
  const read = async (s: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder()
    for await (const chunk of s) text = (text + dec.decode(chunk)).slice(-20_000)
  }
  read(proc.stderr)
  read(proc.stdout)
  return () => text
}

/** The acceptance command, plus flags that keep the API server (once present) on free loopback ports and the kubeconfig in the data dir. */
export function kubunServerCommand(dataDir: string, endpoint: string, httpsPort: number): string[] {
  return [
    'bun',
    join(repo, 'src/main.ts'),
    'server',
    '--data-dir',
    dataDir,
    '--disable-agent',
    '--etcd-listen',
    endpoint,
    '--bind-address',
    '127.0.0.1',
    '--https-listen-port',
    String(httpsPort),
    '--write-kubeconfig',
    join(dataDir, 'kubeconfig.yaml'),
  ]
}

export async function startKubun(extraEnv: Record<string, string> = {}): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kubun-etcdctl-'))
  const endpoint = `127.0.0.1:${await freePort()}`
  const httpsPort = await freePort()
  // An empty config file of our own, so a host's /etc/kubun/config.yaml cannot change the test.
  const config = join(dataDir, 'config.yaml')
  writeFileSync(config, '')
  const launch = () =>
    Bun.spawn(kubunServerCommand(dataDir, endpoint, httpsPort), {
      cwd: repo,
      env: { ...process.env, KUBUN_CONFIG: config, ...extraEnv },
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
    })
  return managed('kubun', dataDir, endpoint, launch)
}

export async function startEtcd(): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'etcd-etcdctl-'))
  const endpoint = `127.0.0.1:${await freePort()}`
  const peer = `http://127.0.0.1:${await freePort()}`
  const launch = () =>
    Bun.spawn(
      [
        'etcd',
        '--name=default',
        `--data-dir=${join(dataDir, 'etcd')}`,
        `--listen-client-urls=http://${endpoint}`,
        `--advertise-client-urls=http://${endpoint}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=default=${peer}`,
        '--log-level=error',
        '--logger=zap',
      ],
      { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' },
    )
  return managed('etcd', dataDir, endpoint, launch)
}

async function managed(
  name: Target['name'],
  dataDir: string,
  endpoint: string,
  launch: () => Subprocess<'ignore', 'pipe', 'pipe'>,
): Promise<Target> {
  let proc = launch()
  let log = capture(proc)
  const started = async () => {
    try {
      await waitHealthy(endpoint, proc, name, log)
    } catch (err) {
      proc.kill('SIGKILL')
      await proc.exited
      rmSync(dataDir, { recursive: true, force: true })
      throw err
    }
  }
  await started()
  return {
    name,
    endpoint,
    dataDir,
    pid: () => proc.pid,
    crashAndRestart: async () => {
      proc.kill('SIGKILL')
      await proc.exited
      proc = launch()
      log = capture(proc)
      await started()
    },
    stop: async () => {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM')
        const exited = await Promise.race([proc.exited, Bun.sleep(10_000).then(() => undefined)])
        if (exited === undefined) {
          proc.kill('SIGKILL')
          await proc.exited
        }
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
