import { describe, expect, test } from 'bun:test'
import { createMessageDecoder } from './decode-message.ts'
import { compileTable, type MessageTable, parseType } from './message-table.ts'
import { MalformedProtobuf } from './proto-reader.ts'
import { entry, len, msg, num, varint } from './wire-encoder.test-helper.ts'

const TABLE = {
  Thing: {
    name: [1, 'string'],
    count: [2, 'int32'],
    replicas: [3, 'int32?'],
    port: [4, 'int32!'],
    enabled: [5, 'bool'],
    paused: [6, 'bool?'],
    tags: [7, 'string[]'],
    groups: [8, 'int64[]'],
    labels: [9, 'map<string,string>'],
    data: [10, 'map<string,bytes>'],
    limits: [11, 'map<string,Quantity>'],
    child: [12, 'Child'],
    children: [13, 'Child[]'],
    ref: [14, '...Ref'],
    target: [15, 'IntOrString?'],
  },
  Child: { value: [1, 'string'] },
  Ref: { refName: [1, 'string'], refKind: [2, 'string'] },
} as const satisfies MessageTable

const { decode } = createMessageDecoder(TABLE)

describe('table-driven decoding', () => {
  test.each([
    ['zero scalars are dropped, as omitempty JSON drops them', msg(len(1, ''), num(2, 0), num(5, false)), {}],
    ['pointer fields keep their zero value', msg(num(3, 0), num(6, false)), { replicas: 0, paused: false }],
    ['non-omitempty fields keep their zero value', msg(num(4, 0)), { port: 0 }],
    ['negative numbers', msg(num(2, -5)), { count: -5 }],
    ['repeated strings', msg(len(7, 'a'), len(7, 'b')), { tags: ['a', 'b'] }],
    ['repeated numbers, unpacked', msg(num(8, 0), num(8, 1000)), { groups: [0, 1000] }],
    ['repeated numbers, packed', msg(len(8, msg(varint(1), varint(2), varint(-1)))), { groups: [1, 2, -1] }],
    [
      'maps keep empty values',
      msg(entry(9, 'a', len(2, '')), entry(9, 'b', len(2, 'x'))),
      { labels: { a: '', b: 'x' } },
    ],
    [
      'a "__proto__" map key stays a plain key',
      msg(entry(9, '__proto__', len(2, 'x'))),
      JSON.parse('{"labels":{"__proto__":"x"}}'),
    ],
    ['a map entry without value is the zero value', msg(len(9, msg(len(1, 'k')))), { labels: { k: '' } }],
    ['bytes become base64, as in JSON', msg(entry(10, 'pw', len(2, 's3cr3t!'))), { data: { pw: 'czNjcjN0IQ==' } }],
    [
      'Quantity map values are strings',
      msg(entry(11, 'cpu', len(2, msg(len(1, '250m'))))),
      { limits: { cpu: '250m' } },
    ],
    ['a present empty message is kept', msg(len(12, new Uint8Array())), { child: {} }],
    ['repeated messages', msg(len(13, msg(len(1, 'x'))), len(13, msg())), { children: [{ value: 'x' }, {}] }],
    [
      'inline messages merge into the parent',
      msg(len(14, msg(len(1, 'n'), len(2, 'K')))),
      { refName: 'n', refKind: 'K' },
    ],
    ['pointer IntOrString keeps 0', msg(len(15, msg(num(1, 0), num(2, 0)))), { target: 0 }],
    ['unknown fields are skipped', msg(num(99, 7), len(98, 'x'), len(1, 'kept')), { name: 'kept' }],
    ['the last value of a singular field wins', msg(len(1, 'a'), len(1, 'b')), { name: 'b' }],
    ['a later zero removes an earlier value', msg(num(2, 4), num(2, 0)), {}],
  ])('%s', (_, bytes, expected) => {
    expect(decode('Thing', bytes)).toEqual(expected)
  })

  test.each([
    ['a string sent as a varint', msg(num(1, 5))],
    ['a message sent as a varint', msg(num(12, 1))],
    ['a map entry sent as a varint', msg(num(9, 1))],
    ['a truncated nested message', msg(len(12, Uint8Array.from([0x0a, 0x05, 0x61])))],
  ])('refuses %s with MalformedProtobuf', (_, bytes) => {
    expect(() => decode('Thing', bytes)).toThrow(MalformedProtobuf)
  })
})

describe('message table checks', () => {
  test.each([
    ['string', { shape: 'single', keepZero: false }],
    ['int32?', { shape: 'single', keepZero: true }],
    ['int32!', { shape: 'single', keepZero: true }],
    ['Container[]', { shape: 'repeated', value: { kind: 'message', name: 'Container' } }],
    ['map<string, Quantity>', { shape: 'map', key: 'string', value: { kind: 'wellKnown', name: 'Quantity' } }],
    ['...LocalObjectReference', { shape: 'inline' }],
  ])('parses %s', (type, expected) => {
    expect(parseType('f', type)).toMatchObject(expected)
  })

  test.each([
    ['an unknown message', { A: { x: [1, 'Missing'] } }, 'unknown message type Missing'],
    ['a field number used twice', { A: { x: [1, 'string'], y: [1, 'string'] } }, 'field number 1 used twice'],
    ['an inlined scalar', { A: { x: [1, '...string'] } }, 'only messages inline'],
    ['a lower-case type', { A: { x: [1, 'strng'] } }, 'unknown type expression strng'],
  ])('a table with %s does not compile', (_, table, message) => {
    expect(() => compileTable(table as unknown as MessageTable)).toThrow(message)
  })
})
