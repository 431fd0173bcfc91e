import { describe, expect, test } from 'bun:test'
import { formatGoDuration, WELL_KNOWN } from './well-known.ts'
import { intOrString, len, msg, num, quantity, time } from './wire-encoder.test-helper.ts'

describe('well-known apimachinery types decode to their JSON form', () => {
  test.each([
    ['Time', time(1700000000), '2023-11-14T22:13:20Z'],
    ['Time with nanos drops them (whole seconds in JSON)', time(1700000000, 5e8), '2023-11-14T22:13:20Z'],
    ['Time zero is omitted (null in JSON)', time(0), undefined],
    ['Time as an empty message is omitted', new Uint8Array(), undefined],
    ['MicroTime', time(1700000000, 123456789), '2023-11-14T22:13:20.123456Z'],
    ['Quantity', quantity('500m'), '500m'],
    ['IntOrString int', intOrString(8080), 8080],
    ['IntOrString string', intOrString('50%'), '50%'],
    ['IntOrString without a type is an int', msg(num(2, 3)), 3],
    ['RawExtension', msg(len(1, '{"a":[1]}')), { a: [1] }],
    ['ExtraValue', msg(len(1, 'x'), len(1, 'y')), ['x', 'y']],
    ['Duration', msg(num(1, 90e9)), '1m30s'],
  ] as const)('%s', (name, payload, expected) => {
    const type = name.split(' ')[0] as keyof typeof WELL_KNOWN
    expect(WELL_KNOWN[type](payload)).toEqual(expected)
  })

  test.each([
    [0, '0s'],
    [300, '300ns'],
    [1500, '1.5µs'],
    [2e6, '2ms'],
    [1.5e9, '1.5s'],
    [3600e9, '1h0m0s'],
    [5 * 60e9, '5m0s'],
    [-2e9, '-2s'],
  ])('Go duration %p → %p', (ns, s) => {
    expect(formatGoDuration(ns)).toBe(s)
  })
})
