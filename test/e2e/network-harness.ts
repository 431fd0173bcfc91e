// Shared by the network and proxy end-to-end tests: capability detection, a busybox image built locally
// (no registry), throwaway network namespaces, and a clean-up stack that runs even when a test fails.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export async function run(argv: string[], opts: { allowFail?: boolean; stdin?: string } = {}) {
  const p = Bun.spawn(argv, {
    stdin: opts.stdin === undefined ? 'ignore' : new Blob([opts.stdin]),
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, code] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
    p.exited,
  ])
  if (code !== 0 && !opts.allowFail) throw new Error(`${argv.join(' ')} → exit ${code}: ${stderr.trim()}`)
  return { code, stdout, stderr }
}

function dockerUp(): boolean {
  if (!Bun.which('docker')) return false
  return Bun.spawnSync(['docker', 'info', '--format', '{{.ServerVersion}}'], { stdout: 'ignore', stderr: 'ignore' })
    .success
}

const missing = [
  process.getuid?.() !== 0 && 'root',
  ...['ip', 'nft', 'nsenter', 'busybox'].filter((t) => !Bun.which(t)),
  !dockerUp() && 'a running dockerd',
].filter(Boolean)

/** Root, Docker, nft, iproute2 and busybox-static present (CI has them); otherwise say loudly what is missing. */
export function canRunNetworkE2E(suite: string): boolean {
  if (missing.length) console.warn(`SKIPPED ${suite}: needs ${missing.join(', ')} (CI runs it as root with Docker)`)
  return missing.length === 0
}

export const rand = () => Math.random().toString(16).slice(2, 8)

/** LIFO clean-up that never throws, so one failing step does not leave the rest behind. */
export class Cleanup {
  private steps: (() => unknown)[] = []
  add(step: () => unknown) {
    this.steps.push(step)
  }
  async run() {
    for (const s of this.steps.splice(0).reverse())
      await Promise.resolve()
        .then(s)
        .catch(() => {})
  }
}

/** A busybox image from busybox-static (`docker import` of a tiny rootfs); removed by the clean-up. */
export async function buildBusyboxImage(tag: string, cleanup: Cleanup): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kbt-rootfs-'))
  try {
    mkdirSync(join(dir, 'bin'))
    mkdirSync(join(dir, 'www'))
    writeFileSync(join(dir, 'bin/busybox'), await Bun.file(Bun.which('busybox')!).bytes(), { mode: 0o755 })
    for (const a of ['sh', 'nc', 'httpd', 'echo', 'mkdir', 'sleep', 'cat', 'printf', 'ip', 'hostname'])
      symlinkSync('busybox', join(dir, 'bin', a))
    const tarPath = `${dir}.tar`
    await run(['tar', '-C', dir, '-cf', tarPath, '.'])
    cleanup.add(() => rmSync(tarPath, { force: true }))
    await run(['docker', 'import', '--change', 'CMD ["/bin/busybox","sh"]', tarPath, tag])
    cleanup.add(() => run(['docker', 'rmi', '-f', tag], { allowFail: true }))
    return tag
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** `ip netns add`, with lo up; deleted by the clean-up (which takes its links, routes and nft tables along). */
export async function netns(name: string, cleanup: Cleanup): Promise<string> {
  await run(['ip', 'netns', 'add', name])
  cleanup.add(() => run(['ip', 'netns', 'del', name], { allowFail: true }))
  await run(['ip', '-n', name, 'link', 'set', 'lo', 'up'])
  return `/run/netns/${name}`
}

/** A container with no network (the CNI plumbs it), serving `body` over HTTP on :8080 with busybox httpd. */
export async function httpPod(image: string, name: string, body: string, cleanup: Cleanup): Promise<number> {
  cleanup.add(() => run(['docker', 'rm', '-f', name], { allowFail: true }))
  const script = `echo ${body} > /www/index.html && exec httpd -f -p 8080 -h /www`
  await run(['docker', 'run', '-d', '--name', name, '--network', 'none', image, 'sh', '-c', script])
  const pid = Number((await run(['docker', 'inspect', '-f', '{{.State.Pid}}', name])).stdout.trim())
  if (!pid) throw new Error(`container ${name} is not running`)
  return pid
}

/** One HTTP/1.0 GET with busybox nc, run through `prefix` (docker exec / nsenter); body or the error text. */
export async function httpGet(prefix: string[], ip: string, port: number, timeoutS = 2): Promise<string> {
  const r = await run(
    [...prefix, 'busybox', 'sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w ${timeoutS} ${ip} ${port}`],
    {
      allowFail: true,
    },
  )
  if (r.code !== 0 && !r.stdout) return `ERROR ${r.stderr.trim()}`
  return r.stdout.split('\r\n\r\n')[1]?.trim() ?? `ERROR no body: ${r.stdout}`
}

/** Polls until `prefix` gets `body` from ip:port (httpd in a fresh container may need a moment). */
export async function waitHttp(prefix: string[], ip: string, port: number, body: string, tries = 50) {
  for (let i = 0; i < tries; i++) {
    if ((await httpGet(prefix, ip, port, 1)) === body) return
    await Bun.sleep(100)
  }
  throw new Error(`${ip}:${port} did not serve ${body}`)
}
