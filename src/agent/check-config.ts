// `kubun check-config`: does this host have what the agent needs? One line per check, a concrete fix for
// each failure, exit 0 only when everything is in place (as k3s check-config, reduced to what we use).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface CheckResult {
  name: string
  ok: boolean
  detail: string
  fix?: string
}

export interface CheckEnv {
  /** where /sys and /proc live (tests point it at a fake tree), default / */
  root: string
  dockerSocket: string
  /** runs a command, returning its exit code and output (tests fake it) */
  exec(argv: string[]): Promise<{ code: number; out: string }>
}

const read = (p: string) => {
  try {
    return readFileSync(p, 'utf8').trim()
  } catch {
    return undefined
  }
}

async function docker(env: CheckEnv): Promise<CheckResult> {
  const name = 'Docker reachable'
  if (!existsSync(env.dockerSocket))
    return {
      name,
      ok: false,
      detail: `no socket at ${env.dockerSocket}`,
      fix: 'install and start Docker (apt-get install docker.io && systemctl enable --now docker), or pass --docker-socket',
    }
  try {
    const r = await fetch('http://docker/_ping', { unix: env.dockerSocket, signal: AbortSignal.timeout(3000) })
    const body = await r.text()
    if (r.ok && body === 'OK') return { name, ok: true, detail: env.dockerSocket }
    return {
      name,
      ok: false,
      detail: `${env.dockerSocket}: HTTP ${r.status}`,
      fix: 'restart Docker: systemctl restart docker',
    }
  } catch (e) {
    return {
      name,
      ok: false,
      detail: `${env.dockerSocket}: ${(e as Error).message}`,
      fix: 'install and start Docker (apt-get install docker.io && systemctl enable --now docker), or pass --docker-socket',
    }
  }
}

function cgroupMemory(env: CheckEnv): CheckResult {
  const name = 'cgroup memory controller'
  const v2 = read(join(env.root, 'sys/fs/cgroup/cgroup.controllers'))
  if (v2 !== undefined) {
    if (v2.split(/\s+/).includes('memory')) return { name, ok: true, detail: 'cgroup v2' }
  } else if (existsSync(join(env.root, 'sys/fs/cgroup/memory'))) return { name, ok: true, detail: 'cgroup v1' }
  return {
    name,
    ok: false,
    detail: v2 === undefined ? 'no memory hierarchy under /sys/fs/cgroup' : 'memory missing from cgroup.controllers',
    fix: 'boot with cgroup_enable=memory cgroup_memory=1 on the kernel command line (Raspberry Pi: /boot/cmdline.txt) and reboot',
  }
}

/** Runs `argv` to prove the tool works; the detail line comes from `version` when given. */
/** Loaded as a module, built in (modules.builtin), or implied by br_netfilter's sysctls. */
function bridgeModule(env: CheckEnv): CheckResult {
  const name = 'bridge module'
  if (existsSync(join(env.root, 'sys/module/bridge'))) return { name, ok: true, detail: 'loaded' }
  if (existsSync(join(env.root, 'proc/sys/net/bridge'))) return { name, ok: true, detail: 'present' }
  const release = read(join(env.root, 'proc/sys/kernel/osrelease'))
  const builtin = release && read(join(env.root, 'lib/modules', release, 'modules.builtin'))
  if (builtin?.includes('/bridge.ko')) return { name, ok: true, detail: 'built into the kernel' }
  return {
    name,
    ok: false,
    detail: 'not loaded',
    fix: 'modprobe bridge && echo bridge >> /etc/modules-load.d/kubun.conf',
  }
}

async function tool(
  env: CheckEnv,
  name: string,
  argv: string[],
  fix: string,
  version?: string[],
): Promise<CheckResult> {
  const run = (a: string[]) => env.exec(a).catch((e) => ({ code: 127, out: (e as Error).message }))
  const r = await run(argv)
  const firstLine = (s: string) => s.trim().split('\n')[0] ?? ''
  if (r.code !== 0) return { name, ok: false, detail: firstLine(r.out) || `exit ${r.code}`, fix }
  return { name, ok: true, detail: firstLine(version ? (await run(version)).out : r.out) }
}

function procFile(env: CheckEnv, name: string, rel: string, want: string | undefined, fix: string): CheckResult {
  const v = read(join(env.root, rel))
  if (v === undefined) return { name, ok: false, detail: `/${rel} missing`, fix }
  if (want !== undefined && v !== want) return { name, ok: false, detail: `/${rel} = ${v}`, fix }
  return { name, ok: true, detail: `/${rel} = ${v}` }
}

export async function runChecks(env: CheckEnv): Promise<CheckResult[]> {
  const results = [
    await docker(env),
    cgroupMemory(env),
    await tool(env, 'nft usable', ['nft', 'list', 'tables'], 'apt-get install nftables, and run kubun as root', [
      'nft',
      '--version',
    ]),
    await tool(
      env,
      'iproute2',
      ['ip', '-j', 'link', 'show', 'lo'],
      'apt-get install iproute2 (version 4.14 or later for -j)',
      ['ip', '-V'],
    ),
    await tool(env, 'nsenter', ['nsenter', '--version'], 'apt-get install util-linux'),
    bridgeModule(env),
    procFile(
      env,
      'br_netfilter',
      'proc/sys/net/bridge/bridge-nf-call-iptables',
      undefined,
      'modprobe br_netfilter && echo br_netfilter >> /etc/modules-load.d/kubun.conf',
    ),
    procFile(
      env,
      'ip_forward',
      'proc/sys/net/ipv4/ip_forward',
      '1',
      'sysctl -w net.ipv4.ip_forward=1 && echo net.ipv4.ip_forward=1 > /etc/sysctl.d/90-kubun.conf',
    ),
  ]
  return results
}

export function formatReport(results: CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length))
  const lines = results.map((r) => {
    const head = `${r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(width)}  ${r.detail}`
    return r.ok ? head : `${head}\n      fix: ${r.fix}`
  })
  const failed = results.filter((r) => !r.ok).length
  lines.push(failed ? `${failed} check(s) failed` : 'all checks passed')
  return `${lines.join('\n')}\n`
}

const dockerSocketFrom = (dockerHost?: string) =>
  dockerHost?.startsWith('unix://') ? dockerHost.slice(7) : '/var/run/docker.sock'

/** The command: prints the report, returns the exit code (0 when all checks pass). */
export async function checkConfig(o: { dockerSocket?: string; out?: (s: string) => void } = {}): Promise<number> {
  const env: CheckEnv = {
    root: '/',
    dockerSocket: o.dockerSocket ?? dockerSocketFrom(process.env.DOCKER_HOST),
    async exec(argv) {
      const p = Bun.spawn(argv, { stdout: 'pipe', stderr: 'pipe' })
      const [out, err, code] = await Promise.all([
        new Response(p.stdout).text(),
        new Response(p.stderr).text(),
        p.exited,
      ])
      return { code, out: code === 0 ? out : err || out }
    },
  }
  const results = await runChecks(env)
  ;(o.out ?? ((s) => process.stdout.write(s)))(formatReport(results))
  return results.every((r) => r.ok) ? 0 : 1
}
