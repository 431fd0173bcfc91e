import { describe, expect, test } from 'bun:test'
import { contains, firstIp, ipToNumber, numberToIp, parseServiceCidr, pickFreeIp, staticBand } from './ip-range.ts'
import { inRange, parsePortRange, pickFreePort } from './port-range.ts'

describe('service IP ranges', () => {
  test.each([
    ['10.43.0.0/16', '10.43.0.1', 65536],
    ['10.96.0.0/12', '10.96.0.1', 1048576],
    ['10.43.5.7/24', '10.43.5.1', 256],
    ['fd00::/108,10.0.0.0/24', '10.0.0.1', 256],
  ])('%p: first IP %p, %p addresses', (cidr, first, size) => {
    const r = parseServiceCidr(cidr)
    expect(firstIp(r)).toBe(first)
    expect(r.size).toBe(size)
  })

  test('network and broadcast addresses are not usable', () => {
    const r = parseServiceCidr('10.0.0.0/24')
    expect([
      contains(r, '10.0.0.0'),
      contains(r, '10.0.0.1'),
      contains(r, '10.0.0.254'),
      contains(r, '10.0.0.255'),
    ]).toEqual([false, true, true, false])
    expect(contains(r, '10.0.1.1')).toBe(false)
    expect(contains(r, 'nonsense')).toBe(false)
  })

  test('random picks come from above the static band, then anywhere but the first IP', () => {
    const r = parseServiceCidr('10.0.0.0/24')
    expect(staticBand(r)).toBe(16)
    expect(pickFreeIp(r, new Set(), () => 0)).toBe('10.0.0.16')
    const upper = new Set([...Array(240).keys()].map((i) => numberToIp(ipToNumber('10.0.0.16')! + i)))
    expect(pickFreeIp(r, upper, () => 0)).toBe('10.0.0.2')
    const all = new Set([...Array(256).keys()].map((i) => `10.0.0.${i}`))
    expect(pickFreeIp(r, all)).toBeUndefined()
  })

  test('bad CIDRs say what to give', () => {
    expect(() => parseServiceCidr('banana')).toThrow('give one such as 10.43.0.0/16')
  })
})

describe('node port ranges', () => {
  test('parse, bounds and picks', () => {
    const r = parsePortRange('30000-32767')
    expect(r).toEqual({ base: 30000, size: 2768 })
    expect([inRange(r, 29999), inRange(r, 30000), inRange(r, 32767), inRange(r, 32768)]).toEqual([
      false,
      true,
      true,
      false,
    ])
    const small = parsePortRange('100-102')
    expect(pickFreePort(small, new Set([100, 101]))).toBe(102)
    expect(pickFreePort(small, new Set([100, 101, 102]))).toBeUndefined()
    expect(() => parsePortRange('5-1')).toThrow('not a range')
  })
})

describe('allocations held by services', () => {
  test('clusterIPs, node ports and health check ports; headless holds nothing', async () => {
    const { heldBy } = await import('./repair.ts')
    const h = heldBy([
      { metadata: { namespace: 'a', name: 's' }, spec: { clusterIPs: ['10.0.0.5'], ports: [{ nodePort: 30001 }, {}] } },
      { metadata: { namespace: 'a', name: 'h' }, spec: { clusterIP: 'None', clusterIPs: ['None'] } },
      { metadata: { namespace: 'b', name: 'lb' }, spec: { clusterIP: '10.0.0.6', healthCheckNodePort: 30002 } },
    ])
    expect([...h.ips.keys()]).toEqual(['10.0.0.5', '10.0.0.6'])
    expect([...h.ports.keys()]).toEqual([30001, 30002])
    expect(h.ports.get(30002)).toEqual({ namespace: 'b', name: 'lb' })
  })
})
