// For the kubelet end-to-end tests: a `kubun server` child WITH its in-process agent (real Docker, cni0,
// nft proxy) on a unique node name, a busybox image built locally (no registry), the real kubectl, and a
// clean-up that removes the node's containers, the pod network, the image and the data dir even when a
// step fails.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { killall } from '../../src/agent/killall.ts'
import { DockerRuntime } from '../../src/agent/runtime/docker.ts'

export const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'
const ROOT = join(import.meta.dir, '../..')

function dockerUp(): boolean {
  if (!Bun.which('docker')) return false
  return Bun.spawnSync(['docker', 'info', '--format', '{{.ServerVersion}}'], { stdout: 'ignore', stderr: 'ignore' })
    .success
}

/** Root, Docker, nft, iproute2, busybox-static and kubectl (CI has them); otherwise say loudly what is missing. */
export function canRunKubeletE2E(suite: string): boolean {
  const missing = [
    process.getuid?.() !== 0 && 'root',
    ...['ip', 'nft', 'busybox', 'curl'].filter((t) => !Bun.which(t)),
    !Bun.file(KUBECTL).size && KUBECTL,
    !dockerUp() && 'a running dockerd',
  ].filter(Boolean)
  if (missing.length) console.warn(`SKIPPED ${suite}: needs ${missing.join(', ')} (CI runs it as root with Docker)`)
  return missing.length === 0
}

export async function sh(
  argv: string[],
  opts: { allowFail?: boolean; env?: Record<string, string>; stdin?: string } = {},
) {
  const p = Bun.spawn(argv, {
    stdin: opts.stdin === undefined ? 'ignore' : new Blob([opts.stdin]),
    stdout: 'pipe',
    stderr: 'pipe',
    env: { ...process.env, ...opts.env },
  })
  const [stdout, stderr, code] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
    p.exited,
  ])
  if (code !== 0 && !opts.allowFail)
    throw new Error(`${argv.join(' ')} → exit ${code}: ${stderr.trim() || stdout.trim()}`)
  return { code, stdout, stderr }
}

/** busybox-static with every applet linked, as an image (`docker import`). */
export async function buildBusyboxImage(tag: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kubun-bb-'))
  try {
    for (const d of ['bin', 'tmp', 'etc', 'www']) mkdirSync(join(dir, d))
    writeFileSync(join(dir, 'bin/busybox'), await Bun.file(Bun.which('busybox') as string).bytes(), { mode: 0o755 })
    const applets = (await sh([join(dir, 'bin/busybox'), '--list'])).stdout
      .split('\n')
      .filter((a) => a && a !== 'busybox')
    for (const a of applets) symlinkSync('busybox', join(dir, 'bin', a))
    writeFileSync(join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n')
    writeFileSync(join(dir, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n')
    await sh(['tar', '-C', dir, '-cf', `${dir}.tar`, '.'])
    await sh(['docker', 'import', '--change', 'CMD ["/bin/sh"]', `${dir}.tar`, tag])
  } finally {
    rmSync(dir, { recursive: true, force: true })
    rmSync(`${dir}.tar`, { force: true })
  }
}

export interface Cluster {
  dir: string
  dataDir: string
  kubeconfig: string
  port: number
  nodeName: string
  nodeIp: string
  kubectl(args: string[], opts?: { allowFail?: boolean; stdin?: string }): Promise<string>
  apply(yaml: string): Promise<string>
  startServer(): Promise<void>
  stopServer(): Promise<void>
  logs(): string
  cleanup(): Promise<void>
}

export async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'kubun-e2e-'))
  const dataDir = join(dir, 'data')
  const kubeconfig = join(dir, 'kubeconfig.yaml')
  const port = 20000 + Math.floor(Math.random() * 20000)
  const nodeName = `e2e-${Math.random().toString(16).slice(2, 8)}`
  const nodeIp = /src (\S+)/.exec((await sh(['ip', '-4', 'route', 'get', '1.1.1.1'])).stdout)?.[1] ?? '127.0.0.1'
  let child: ReturnType<typeof Bun.spawn> | undefined
  let log = ''
  const env = { KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, 'kubecache') }
  const c: Cluster = {
    dir,
    dataDir,
    kubeconfig,
    port,
    nodeName,
    nodeIp,
    async kubectl(args, opts = {}) {
      return (await sh([KUBECTL, ...args], { env, ...opts })).stdout
    },
    apply(yaml) {
      return c.kubectl(['apply', '-f', '-'], { stdin: yaml })
    },
    async startServer() {
      const readyBefore = log.split('agent ready').length
      child = Bun.spawn(
        [
          'bun',
          join(ROOT, 'src/main.ts'),
          'server',
          '--data-dir',
          dataDir,
          '--https-listen-port',
          String(port),
          '--bind-address',
          '127.0.0.1',
          '--write-kubeconfig',
          kubeconfig,
          '--node-name',
          nodeName,
        ],
        { stdout: 'pipe', stderr: 'pipe' },
      )
      const collect = async (s: ReadableStream<Uint8Array>) => {
        for await (const chunk of s) log += new TextDecoder().decode(chunk)
      }
      void collect(child.stdout as ReadableStream<Uint8Array>)
      void collect(child.stderr as ReadableStream<Uint8Array>)
      await waitFor(
        'agent ready',
        async () => log.split('agent ready').length > readyBefore,
        60_000,
        () => log,
      )
    },
    async stopServer() {
      if (!child) return
      child.kill('SIGTERM')
      await child.exited
      child = undefined
    },
    logs: () => log,
    async cleanup() {
      await c.stopServer().catch(() => {})
      await killall({ dataDir, runtime: new DockerRuntime(), nodeName }).catch((e) => console.error('killall', e))
      rmSync(dir, { recursive: true, force: true })
    },
  }
  return c
}

/** Polls until fn() is true; the error names what was awaited and, when given, some context. */
export async function waitFor(
  what: string,
  fn: () => Promise<boolean>,
  timeoutMs = 60_000,
  context?: () => string,
): Promise<void> {
  const end = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < end) {
    try {
      if (await fn()) return
    } catch (e) {
      last = e
    }
    await Bun.sleep(250)
  }
  throw new Error(
    `timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}${context ? `\n${context().slice(-3000)}` : ''}`,
  )
}

/** One HTTP GET with curl from the host; the body or '' on failure. */
export async function curl(url: string): Promise<string> {
  const r = await sh(['curl', '-s', '-m', '2', url], { allowFail: true })
  return r.code === 0 ? r.stdout : ''
}
