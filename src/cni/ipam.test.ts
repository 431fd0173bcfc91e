import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatIp, parseCidr, parseIp } from './cidr.ts'
import { IpamExhaustedError, IpamStore, ipamDir, nextFree } from './ipam.ts'

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'kubun-ipam-'))
  dirs.push(d)
  return ipamDir(d)
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('nextFree', () => {
  const c24 = parseCidr('10.42.0.0/24')
  const ips = (...s: string[]) => new Set(s.map(parseIp))
  test.each([
    ['first is .2 (network and gateway skipped)', c24, ips(), undefined, '10.42.0.2'],
    ['skips used', c24, ips('10.42.0.2', '10.42.0.3'), undefined, '10.42.0.4'],
    ['round-robin after last reserved', c24, ips('10.42.0.2'), '10.42.0.9', '10.42.0.10'],
    ['wraps past broadcast to .2', c24, ips(), '10.42.0.254', '10.42.0.2'],
    ['wraps and skips used', c24, ips('10.42.0.2'), '10.42.0.254', '10.42.0.3'],
    ['/30 has one pod address', parseCidr('10.42.0.4/30'), ips(), undefined, '10.42.0.6'],
  ])('%s', (_, cidr, used, last, want) => {
    expect(formatIp(nextFree(cidr, used, last === undefined ? undefined : parseIp(last))!)).toBe(want)
  })
  test('full range gives null, never the broadcast', () => {
    const c = parseCidr('10.42.0.0/29') // .2-.6 usable
    expect(nextFree(c, ips('10.42.0.2', '10.42.0.3', '10.42.0.4', '10.42.0.5', '10.42.0.6'))).toBeNull()
  })
})

describe('IpamStore', () => {
  test('one file per address holding the owner id; same id keeps its address', () => {
    const dir = tmp()
    const s = new IpamStore(dir, '10.42.3.0/24')
    expect(s.allocate('pod-a')).toBe('10.42.3.2')
    expect(s.allocate('pod-b')).toBe('10.42.3.3')
    expect(s.allocate('pod-a')).toBe('10.42.3.2')
    expect(readFileSync(join(dir, '10.42.3.2'), 'utf8')).toBe('pod-a')
    expect(readdirSync(dir).sort()).toEqual(['10.42.3.2', '10.42.3.3', 'last_reserved_ip.0'])
  })

  test('release frees the address, which is handed out again only after the round', () => {
    const s = new IpamStore(tmp(), '10.42.0.0/24')
    s.allocate('a')
    s.allocate('b')
    expect(s.release('a')).toEqual(['10.42.0.2'])
    expect(s.allocate('c')).toBe('10.42.0.4')
    expect(s.list().map((a) => a.id)).toEqual(['b', 'c'])
  })

  test('a restarted store reads the directory: no address twice, round-robin continues', () => {
    const dir = tmp()
    const s1 = new IpamStore(dir, '10.42.0.0/24')
    s1.allocate('a')
    s1.allocate('b')
    s1.release('a')
    const s2 = new IpamStore(dir, '10.42.0.0/24')
    expect(s2.list()).toEqual([{ ip: '10.42.0.3', id: 'b' }])
    expect(s2.allocate('c')).toBe('10.42.0.4')
    expect(s2.allocate('b')).toBe('10.42.0.3')
  })

  test('reconcile frees leaked addresses of pods that no longer exist', () => {
    const s = new IpamStore(tmp(), '10.42.0.0/24')
    for (const id of ['a', 'b', 'c']) s.allocate(id)
    expect(s.reconcile(['b'])).toEqual([
      { ip: '10.42.0.2', id: 'a' },
      { ip: '10.42.0.4', id: 'c' },
    ])
    expect(s.list()).toEqual([{ ip: '10.42.0.3', id: 'b' }])
  })

  test('exhaustion is a typed error that says what to do', () => {
    const s = new IpamStore(tmp(), '10.42.0.0/30')
    s.allocate('a')
    expect(() => s.allocate('b')).toThrow(IpamExhaustedError)
    expect(() => s.allocate('b')).toThrow(/larger podCIDR/)
  })
})
