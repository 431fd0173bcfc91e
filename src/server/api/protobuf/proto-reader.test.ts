import { describe, expect, test } from 'bun:test'
import { MalformedProtobuf, ProtoReader } from './proto-reader.ts'
import { double, len, msg, num, varint } from './wire-encoder.test-helper.ts'

describe('ProtoReader', () => {
  test.each([
    [0, 0],
    [1, 1],
    [127, 127],
    [128, 128],
    [300, 300],
    [2 ** 31 - 1, 2 ** 31 - 1],
    [-1, -1],
    [-2147483648, -2147483648],
  ])('int32 %p round-trips', (input, expected) => {
    expect(new ProtoReader(varint(input)).int32()).toBe(expected)
  })

  test.each([
    [0, 0],
    [3600, 3600],
    [2 ** 40 + 5, 2 ** 40 + 5],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    [-1, -1],
    [-(2 ** 40), -(2 ** 40)],
  ])('int64 %p round-trips', (input, expected) => {
    expect(new ProtoReader(varint(input)).int64()).toBe(expected)
  })

  test('reads tags, strings, bools and doubles in order', () => {
    const r = new ProtoReader(msg(len(1, 'héllo'), num(2, true), double(3, 1.5)))
    expect(r.tag()).toEqual({ field: 1, wire: 2 })
    expect(r.string()).toBe('héllo')
    expect(r.tag()).toEqual({ field: 2, wire: 0 })
    expect(r.bool()).toBe(true)
    expect(r.tag()).toEqual({ field: 3, wire: 1 })
    expect(r.double()).toBe(1.5)
    expect(r.done).toBe(true)
  })

  test('skips unknown fields of every wire type', () => {
    const r = new ProtoReader(
      msg(num(9, 12345), double(10, 2), len(11, 'x'), Uint8Array.from([0x65, 1, 2, 3, 4]), len(1, 'kept')),
    )
    for (let i = 0; i < 4; i++) r.skip(r.tag().wire)
    expect(r.tag().field).toBe(1)
    expect(r.string()).toBe('kept')
  })

  test.each([
    ['a truncated varint', Uint8Array.from([0x80]), (r: ProtoReader) => r.uint32()],
    ['an over-long varint', new Uint8Array(11).fill(0x80), (r: ProtoReader) => r.uint32()],
    ['a length past the end', Uint8Array.from([0x05, 0x61]), (r: ProtoReader) => r.bytes()],
    ['a truncated fixed64', Uint8Array.from([1, 2, 3]), (r: ProtoReader) => r.double()],
    ['field number 0', Uint8Array.from([0x02]), (r: ProtoReader) => r.tag()],
    ['a group wire type', Uint8Array.from([0x0b]), (r: ProtoReader) => r.skip(r.tag().wire)],
  ])('refuses %s', (_, bytes, read) => {
    expect(() => read(new ProtoReader(bytes))).toThrow(MalformedProtobuf)
  })

  test('respects a sub-range end', () => {
    const buf = msg(len(1, 'ab'), len(2, 'cd'))
    const r = new ProtoReader(buf, 0, 4)
    r.tag()
    expect(r.string()).toBe('ab')
    expect(r.done).toBe(true)
  })
})
