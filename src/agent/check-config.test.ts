import { afterAll, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkConfig, formatReport, runChecks } from './check-config.ts'

const root = mkdtempSync(join(tmpdir(), 'kubun-check-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const put = (rel: string, content: string) => {
  mkdirSync(join(root, rel, '..'), { recursive: true })
  writeFileSync(join(root, rel), content)
}

test('a host missing pieces gets one FAIL line with a fix for each', async () => {
  put('sys/fs/cgroup/cgroup.controllers', 'cpuset cpu io pids')
  put('proc/sys/net/ipv4/ip_forward', '0')
  const results = await runChecks({
    root,
    dockerSocket: join(root, 'no-docker.sock'),
    exec: async (argv) => (argv[0] === 'nft' ? { code: 1, out: 'Operation not permitted' } : { code: 0, out: 'ok' }),
  })
  const failed = Object.fromEntries(results.filter((r) => !r.ok).map((r) => [r.name, r.fix]))
  expect(Object.keys(failed).sort()).toEqual(
    [
      'Docker reachable',
      'bridge module',
      'br_netfilter',
      'cgroup memory controller',
      'ip_forward',
      'nft usable',
    ].sort(),
  )
  expect(failed['ip_forward']).toContain('sysctl -w net.ipv4.ip_forward=1')
  expect(failed['br_netfilter']).toContain('modprobe br_netfilter')
  expect(failed['cgroup memory controller']).toContain('cgroup_memory=1')
  const report = formatReport(results)
  expect(report).toMatch(/^FAIL {2}ip_forward +\/proc\/sys\/net\/ipv4\/ip_forward = 0\n {6}fix: sysctl/m)
  expect(report).toEndWith('6 check(s) failed\n')
})

test('a complete host passes every check', async () => {
  put('sys/fs/cgroup/cgroup.controllers', 'cpuset cpu memory pids')
  put('proc/sys/net/ipv4/ip_forward', '1')
  put('proc/sys/net/bridge/bridge-nf-call-iptables', '1')
  mkdirSync(join(root, 'sys/module/bridge'), { recursive: true })
  const sock = join(root, 'docker.sock')
  const server = Bun.serve({ unix: sock, fetch: () => new Response('OK') })
  try {
    const results = await runChecks({ root, dockerSocket: sock, exec: async () => ({ code: 0, out: 'fine' }) })
    expect(results.filter((r) => !r.ok)).toEqual([])
    expect(formatReport(results)).toEndWith('all checks passed\n')
  } finally {
    server.stop(true)
  }
})

test('on this machine the command prints one line per check and its exit code agrees', async () => {
  let out = ''
  const code = await checkConfig({ out: (s) => (out += s) })
  const lines = out.trim().split('\n')
  expect(lines.filter((l) => /^(ok {2}|FAIL) {2}/.test(l)).length).toBe(8)
  expect(code).toBe(out.includes('FAIL') ? 1 : 0)
})

test('`kubun check-config` is wired: same report, exit code 0 only when every check passes', async () => {
  const main = join(import.meta.dir, '../main.ts')
  const p = Bun.spawn([process.execPath, main, 'check-config', '--docker-socket', join(root, 'absent.sock')], {
    stdout: 'pipe',
  })
  const out = await new Response(p.stdout).text()
  expect(out).toMatch(/^FAIL {2}Docker reachable +no socket at .*absent\.sock\n {6}fix: /m)
  expect(await p.exited).toBe(1)
})
