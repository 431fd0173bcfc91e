import { describe, expect, test } from 'bun:test'
import { canonicalIp, firstServiceIp, hostSans, servingNames } from './sans.ts'

describe('firstServiceIp', () => {
  test.each([
    ['10.43.0.0/16', '10.43.0.1'],
    ['10.96.0.0/12', '10.96.0.1'],
    ['192.168.255.0/24', '192.168.255.1'],
    ['fd00:43::/112', 'fd00:43::1'],
  ])('%s → %s', (cidr, ip) => expect(firstServiceIp(cidr)).toBe(ip))
})

describe('canonicalIp', () => {
  test.each([
    ['0:0:0:0:0:0:0:1', '::1'],
    ['FD00::0001', 'fd00::1'],
    ['10.0.0.1', '10.0.0.1'],
  ])('%s → %s', (a, b) => expect(canonicalIp(a)).toBe(b))
})

describe('servingNames', () => {
  test('splits --tls-san into names and IPs, adds the fixed ones, deduplicates', () => {
    const n = servingNames(['API.example.com', '192.0.2.1', 'localhost', '0:0::1', ' '], ['192.0.2.1', '10.43.0.1'])
    expect(n.dns.filter((d) => d === 'localhost')).toHaveLength(1)
    expect(n.dns).toContain('api.example.com')
    expect(n.dns).toContain('kubernetes.default.svc.cluster.local')
    expect(n.ips.sort()).toEqual(['10.43.0.1', '127.0.0.1', '192.0.2.1', '::1'].sort())
  })
})

describe('hostSans', () => {
  test('adds the advertise address, node IP, the first service IP and every --tls-san', () => {
    const h = hostSans({
      tlsSan: ['k.example.com'],
      advertiseAddress: '192.0.2.50',
      nodeIp: '192.0.2.51',
      serviceCidr: '10.50.0.0/16',
    })
    expect(h.sans).toContain('k.example.com')
    expect(h.ips).toEqual(expect.arrayContaining(['192.0.2.50', '192.0.2.51', '10.50.0.1']))
    expect(h.ips.every((ip) => ip !== '127.0.0.1')).toBe(true)
  })
})
