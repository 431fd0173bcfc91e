import { describe, expect, test } from 'bun:test'
import { milliCpu, parseQuantity, resourceAmount } from './quantity.ts'

describe('quantities', () => {
  test.each([
    ['100m', 0.1],
    ['2', 2],
    ['1.5', 1.5],
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['12e3', 12000],
    ['', 0],
  ])('parseQuantity(%p) = %p', (q, v) => expect(parseQuantity(q)).toBeCloseTo(v))

  test('garbage is NaN', () => expect(parseQuantity('ten')).toBeNaN())
  test.each([
    ['100m', 100],
    ['1', 1000],
    ['0.25', 250],
    ['1.0001', 1001],
  ])('milliCpu(%p) = %p', (q, v) => expect(milliCpu(q)).toBe(v))
  test('memory in bytes', () => expect(resourceAmount('memory', '1Ki')).toBe(1024))
})
