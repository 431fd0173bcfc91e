// etcd API on a non-loopback address: real etcdctl 3.4 over TLS with a client certificate from the
// cluster's client CA works; no certificate, another CA's certificate, or plaintext is refused.
// Uses this host's own non-loopback IPv4 (the network rule allows it); skipped loudly without one.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { createCa, issueLeaf } from '../../src/server/tls/certs.ts'
import { etcdctl, freePort, haveEtcdctl } from './etcdctl-targets.ts'

const repo = join(import.meta.dir, '..', '..')

/** The first IPv4 of `hostname -I`: this machine's own interface address. */
function hostIpv4(): string | undefined {
  const r = Bun.spawnSync(['hostname', '-I'])
  return r.stdout
    .toString()
    .split(/\s+/)
    .find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a) && !a.startsWith('127.'))
}

const ip = hostIpv4()
if (!haveEtcdctl()) console.warn('SKIP etcdctl-tls: etcdctl not installed (apt-get install etcd-client)')
if (!ip) console.warn('SKIP etcdctl-tls: this host has no non-loopback IPv4 address')

describe.skipIf(!haveEtcdctl() || !ip)('etcd API over TLS on a non-loopback address', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubun-etcd-tls-'))
  const tls = join(dir, 'server', 'tls')
  let proc: Subprocess<'ignore', 'pipe', 'pipe'> | undefined
  let endpoint = ''
  let log = ''
  const secure = (...extra: string[]) => [
    `--cacert=${join(tls, 'server-ca.crt')}`,
    `--cert=${join(tls, 'etcd-client.crt')}`,
    `--key=${join(tls, 'etcd-client.key')}`,
    ...extra,
  ]

  beforeAll(async () => {
    endpoint = `${ip}:${await freePort()}`
    const config = join(dir, 'config.yaml')
    writeFileSync(config, '')
    // argv per the README; --https-listen-port on a free loopback port
    proc = Bun.spawn(
      [
        'bun',
        join(repo, 'src/main.ts'),
        'server',
        '--data-dir',
        dir,
        '--https-listen-port',
        String(await freePort()),
        '--bind-address',
        '127.0.0.1',
        '--write-kubeconfig',
        join(dir, 'kubeconfig.yaml'),
        '--disable-agent',
        '--etcd-listen',
        endpoint,
      ],
      { cwd: repo, env: { ...process.env, KUBUN_CONFIG: config }, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' },
    )
    const dec = new TextDecoder()
    const read = async (s: ReadableStream<Uint8Array>) => {
      for await (const c of s) log += dec.decode(c)
    }
    read(proc.stderr)
    read(proc.stdout)
    const deadline = Date.now() + 30_000
    while (!log.includes('kubun server ready')) {
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${log}`)
      await Bun.sleep(100)
    }
  }, 40_000)

  afterAll(async () => {
    proc?.kill('SIGTERM')
    await proc?.exited
    rmSync(dir, { recursive: true, force: true })
  })

  test('the start-up log gives the etcdctl command line', () => {
    expect(log).toContain(`etcdctl --endpoints https://${endpoint} --cacert ${join(tls, 'server-ca.crt')}`)
  })

  test('put and get over TLS with the etcd client certificate', async () => {
    const put = await etcdctl(`https://${endpoint}`, secure('put', '/tls-test', 'v1'))
    expect(put.stderr).toBe('')
    expect(put.stdout.trim()).toBe('OK')
    const get = await etcdctl(`https://${endpoint}`, secure('get', '/tls-test', '--print-value-only'))
    expect(get.stdout.trim()).toBe('v1')
  })

  test('etcdctl get /registry --prefix --keys-only shows Kubernetes objects', async () => {
    const r = await etcdctl(`https://${endpoint}`, secure('get', '/registry', '--prefix', '--keys-only'))
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('/registry/namespaces/default')
  })

  test('without a client certificate the call fails', async () => {
    const r = await etcdctl(`https://${endpoint}`, [
      `--cacert=${join(tls, 'server-ca.crt')}`,
      '--dial-timeout=2s',
      '--command-timeout=2s',
      'get',
      '/tls-test',
    ])
    expect(r.code).not.toBe(0)
    expect(r.stdout).not.toContain('v1')
  }, 10_000)

  test("with another CA's client certificate the call fails", async () => {
    const other = await createCa('other-ca', 1)
    const leaf = await issueLeaf(other, { cn: 'kubun-etcd-client', orgs: ['system:masters'], days: 1 })
    writeFileSync(join(dir, 'other.crt'), leaf.certPem)
    writeFileSync(join(dir, 'other.key'), leaf.keyPem, { mode: 0o600 })
    const r = await etcdctl(`https://${endpoint}`, [
      `--cacert=${join(tls, 'server-ca.crt')}`,
      `--cert=${join(dir, 'other.crt')}`,
      `--key=${join(dir, 'other.key')}`,
      '--dial-timeout=2s',
      '--command-timeout=2s',
      'get',
      '/tls-test',
    ])
    expect(r.code).not.toBe(0)
    expect(r.stdout).not.toContain('v1')
  }, 10_000)

  test('plaintext to that address fails', async () => {
    const r = await etcdctl(`http://${endpoint}`, ['--dial-timeout=2s', '--command-timeout=2s', 'get', '/tls-test'])
    expect(r.code).not.toBe(0)
    expect(r.stdout).not.toContain('v1')
  }, 10_000)
})
