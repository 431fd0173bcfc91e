// Shared by the kubectl and client-node suites: one `kubun server --disable-agent` child process per test
// file (as the acceptance run starts it), on a free loopback port with a temp data dir, and a runner for the
// real kubectl binaries with a private discovery cache. stop() kills the child and removes every file.
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { controlPlaneArgs } from '../support/server-args.ts'

export const KUBECTL_132 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'
export const KUBECTL_133 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33'
export const KUBECTL_DISPATCHER = '/usr/bin/kubectl'

const repo = resolve(import.meta.dir, '../..')

export interface KubectlResult {
  code: number
  stdout: string
  stderr: string
}

export interface TestServer {
  dir: string
  port: number
  kubeconfig: string
  kubectl(args: string[], opts?: { stdin?: string; bin?: string; env?: Record<string, string> }): Promise<KubectlResult>
  /** Runs kubectl and fails with its stderr unless it exits 0. */
  ok(args: string[], opts?: { stdin?: string; bin?: string; env?: Record<string, string> }): Promise<string>
  /** The server's stderr so far (for failure messages). */
  log(): string
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer()
    s.once('error', rej)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo
      s.close(() => res(port))
    })
  })
}

export async function startTestServer(o: { kubectl?: string; args?: string[] } = {}): Promise<TestServer> {
  const extraArgs = o.args ?? []
  const dir = mkdtempSync(join(tmpdir(), 'kubun-it-'))
  const port = await freePort()
  const kubeconfig = join(dir, 'kubeconfig.yaml')
  const args = controlPlaneArgs(dir, port, kubeconfig, extraArgs)
  const child = Bun.spawn([process.execPath, ...args], {
    cwd: repo,
    env: { ...process.env, KUBUN_LOG_LEVEL: 'info' },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  let log = ''
  const ready = (async () => {
    const reader = child.stderr.getReader()
    const dec = new TextDecoder()
    let signalled = false
    let resolveReady!: () => void
    const p = new Promise<void>((r) => (resolveReady = r))
    ;(async () => {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        log += dec.decode(value)
        if (!signalled && log.includes('kubun server ready')) {
          signalled = true
          resolveReady()
        }
      }
    })()
    const exited = child.exited.then((code) => {
      throw new Error(`kubun server exited with ${code} before it was ready:\n${log}`)
    })
    await Promise.race([p, exited])
  })()
  const timeout = new Promise<never>((_, rej) =>
    setTimeout(() => rej(new Error(`kubun server not ready after 60s:\n${log}`)), 60_000).unref(),
  )
  try {
    await Promise.race([ready, timeout])
  } catch (e) {
    child.kill()
    rmSync(dir, { recursive: true, force: true })
    throw e
  }

  const kubectl: TestServer['kubectl'] = async (kargs, opts = {}) => {
    const proc = Bun.spawn([opts.bin ?? o.kubectl ?? KUBECTL_133, ...kargs], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: dir,
        KUBECONFIG: kubeconfig,
        KUBECACHEDIR: join(dir, 'kubecache'),
        ...opts.env,
      },
      stdin: opts.stdin !== undefined ? new TextEncoder().encode(opts.stdin) : 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ])
    return { code, stdout, stderr }
  }

  return {
    dir,
    port,
    kubeconfig,
    kubectl,
    async ok(kargs, opts) {
      const r = await kubectl(kargs, opts)
      if (r.code !== 0) {
        throw new Error(`kubectl ${kargs.join(' ')} exited ${r.code}\nstderr: ${r.stderr}\nstdout: ${r.stdout}`)
      }
      return r.stdout
    },
    log: () => log,
    async stop() {
      child.kill('SIGTERM')
      const killed = await Promise.race([child.exited, Bun.sleep(5000).then(() => 'timeout')])
      if (killed === 'timeout') child.kill('SIGKILL')
      await child.exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Reads complete lines from a running kubectl (e.g. `get -w`) until `done(lines)` holds or the output
 * ends, then kills it. */
export async function readLinesUntil(
  proc: Bun.Subprocess<'ignore', 'pipe', 'pipe'>,
  done: (lines: string[]) => boolean,
): Promise<string[]> {
  const reader = proc.stdout.getReader()
  const dec = new TextDecoder()
  let text = ''
  const complete = () => text.split('\n').slice(0, -1).filter(Boolean)
  try {
    while (!done(complete())) {
      const { done: end, value } = await reader.read()
      if (end) break
      text += dec.decode(value)
    }
  } finally {
    proc.kill()
    reader.releaseLock()
  }
  return complete()
}
