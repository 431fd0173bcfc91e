// The CLI as a user meets it: exit codes and one-line errors.
import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'

const main = join(import.meta.dir, '../../src/main.ts')

function run(args: string[], env: Record<string, string> = {}) {
  const p = Bun.spawnSync(['bun', main, ...args], { env: { ...process.env, ...env }, stderr: 'pipe', stdout: 'pipe' })
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() }
}

describe('kubun CLI', () => {
  test('--version prints the version', () => {
    const r = run(['--version'])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^kubun version v\d+\.\d+\.\d+ \(bun /)
  })
  test('--help lists server and agent', () => {
    const r = run(['--help'])
    expect(r.code).toBe(0)
    expect(r.out).toContain('server')
    expect(r.out).toContain('agent')
  })
  test('server --help lists the k3s flags', () => {
    const r = run(['server', '--help'])
    for (const f of [
      '--data-dir',
      '--https-listen-port',
      '--cluster-cidr',
      '--service-cidr',
      '--disable-agent',
      '--token',
    ]) {
      expect(r.out).toContain(f)
    }
  })
  const bad: [string, string[], Record<string, string>, RegExp][] = [
    ['unknown flag', ['server', '--no-such-flag'], {}, /unknown flag --no-such-flag/],
    ['bad CIDR', ['server', '--cluster-cidr', '10.42.0.0/40'], {}, /--cluster-cidr: must be a CIDR/],
    ['port out of range', ['server', '--https-listen-port', '0'], {}, /must be a port/],
    ['unreadable config', ['server', '--config', '/nonexistent/kubun.yaml'], {}, /cannot read config file/],
    ['bad env value', ['server'], { KUBUN_SERVICE_CIDR: 'x' }, /environment variable KUBUN_SERVICE_CIDR/],
    ['agent without server', ['agent', '--token', 't'], {}, /--server is required/],
  ]
  for (const [name, args, env, msg] of bad) {
    test(`${name}: one clear line, exit 2`, () => {
      const r = run(args, env)
      expect(r.code).toBe(2)
      expect(r.err).toMatch(msg)
      expect(r.err.trim().split('\n')).toHaveLength(1)
    })
  }
})
