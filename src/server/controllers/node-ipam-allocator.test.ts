import { describe, expect, test } from 'bun:test'
import { CidrAllocator, CidrExhausted } from './node-ipam-allocator.ts'

describe('pod CIDR allocator', () => {
  test('hands out /24s in order, skipping taken ones', () => {
    const a = new CidrAllocator('10.42.0.0/16')
    a.occupy('10.42.1.0/24')
    expect([a.allocate(), a.allocate(), a.allocate()]).toEqual(['10.42.0.0/24', '10.42.2.0/24', '10.42.3.0/24'])
  })
  test('released CIDRs are reused only after the others (round-robin)', () => {
    const a = new CidrAllocator('10.42.0.0/23')
    expect(a.allocate()).toBe('10.42.0.0/24')
    a.release('10.42.0.0/24')
    expect(a.allocate()).toBe('10.42.1.0/24')
    expect(a.allocate()).toBe('10.42.0.0/24')
    expect(() => a.allocate()).toThrow(CidrExhausted)
  })
  test('foreign CIDRs are not tracked', () => {
    const a = new CidrAllocator('10.42.0.0/16')
    expect(a.occupy('192.168.0.0/24')).toBe(false)
    expect(a.occupy('10.42.0.0/25')).toBe(false)
  })
})
