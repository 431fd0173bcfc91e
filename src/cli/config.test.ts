import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseDuration, resolveConfig, UsageError } from './config.ts'
import { serverFlags } from './flags.ts'

const dir = mkdtempSync(join(tmpdir(), 'kubun-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function file(text: string) {
  const p = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`)
  writeFileSync(p, text)
  return p
}

describe('config precedence: flag > env > file > default', () => {
  const cfg = file(
    'data-dir: /from/file\ncluster-cidr: 10.50.0.0/16\nhttps-listen-port: 7443\nnode-label: [a=1, b=2]\n',
  )
  test('defaults when nothing is given', () => {
    const r = resolveConfig({ specs: serverFlags, cli: {}, env: {} })
    expect(r.dataDir).toBe('/var/lib/kubun')
    expect(r.httpsListenPort).toBe(6443)
    expect(r.clusterCidr).toBe('10.42.0.0/16')
    expect(r.disableAgent).toBe(false)
    expect(r.terminatedPodGcThreshold).toBe(12500)
  })
  test('--terminated-pod-gc-threshold is a number for the pod GC controller', () => {
    const r = resolveConfig({ specs: serverFlags, cli: { terminatedPodGcThreshold: '5' }, env: {} })
    expect(r.terminatedPodGcThreshold).toBe(5)
    expect(() => resolveConfig({ specs: serverFlags, cli: { terminatedPodGcThreshold: 'many' }, env: {} })).toThrow(
      UsageError,
    )
  })
  test('the file overrides defaults', () => {
    const r = resolveConfig({ specs: serverFlags, cli: { config: cfg }, env: {} })
    expect(r.dataDir).toBe('/from/file')
    expect(r.httpsListenPort).toBe(7443)
    expect(r.nodeLabel).toEqual(['a=1', 'b=2'])
  })
  test('env overrides the file, the flag overrides env', () => {
    const env = { KUBUN_DATA_DIR: '/from/env', KUBUN_CLUSTER_CIDR: '10.60.0.0/16' }
    const r = resolveConfig({ specs: serverFlags, cli: { config: cfg, dataDir: '/from/flag' }, env })
    expect(r.dataDir).toBe('/from/flag')
    expect(r.clusterCidr).toBe('10.60.0.0/16')
  })
  test('KUBUN_CONFIG names the file', () => {
    const r = resolveConfig({ specs: serverFlags, cli: {}, env: { KUBUN_CONFIG: cfg } })
    expect(r.dataDir).toBe('/from/file')
  })
  test('KUBUN_TOKEN feeds --token', () => {
    const r = resolveConfig({ specs: serverFlags, cli: {}, env: { KUBUN_TOKEN: 's3cret' } })
    expect(r.token).toBe('s3cret')
  })
})

describe('validation says what is wrong', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['bad CIDR', { clusterCidr: '10.0.0/8' }, /--cluster-cidr: must be a CIDR/],
    ['port out of range', { httpsListenPort: '70000' }, /--https-listen-port: must be a port between 1 and 65535/],
    ['port not a number', { httpsListenPort: 'abc' }, /must be a number/],
    ['bad IP', { nodeIp: '1.2.3' }, /--node-ip: must be an IP address/],
    ['bad duration', { nodeMonitorGracePeriod: '5 minutes' }, /must be a duration/],
    ['bad mode', { writeKubeconfigMode: '999' }, /must be an octal file mode/],
    ['bad bool', { disableAgent: 'maybe' }, /must be true or false/],
  ]
  for (const [name, cli, msg] of cases) {
    test(name, () => {
      expect(() => resolveConfig({ specs: serverFlags, cli, env: {} })).toThrow(msg)
    })
  }
  test('unknown config key is refused', () => {
    const p = file('data-dri: /x\n')
    expect(() => resolveConfig({ specs: serverFlags, cli: { config: p }, env: {} })).toThrow(/unknown key "data-dri"/)
  })
  test('unreadable explicit config file', () => {
    expect(() => resolveConfig({ specs: serverFlags, cli: { config: join(dir, 'missing.yaml') }, env: {} })).toThrow(
      UsageError,
    )
  })
  test('invalid YAML', () => {
    const p = file('data-dir: [unclosed\n')
    expect(() => resolveConfig({ specs: serverFlags, cli: { config: p }, env: {} })).toThrow(/not valid YAML/)
  })
})

test('parseDuration reads Go-style durations', () => {
  expect(parseDuration('40s')).toBe(40_000)
  expect(parseDuration('1m30s')).toBe(90_000)
  expect(parseDuration('500ms')).toBe(500)
  expect(parseDuration('1h')).toBe(3_600_000)
})
