import { expect, test } from 'bun:test'
import { decodeObject, MAX_BODY_BYTES, readBody } from './decode-body.ts'

const bytes = (s: string) => new TextEncoder().encode(s)

test.each([
  ['application/json', '{"a":1}', { a: 1 }],
  ['application/json; charset=utf-8', '{"a":1}', { a: 1 }],
  ['application/yaml', 'a: 1\nb: [x]\n', { a: 1, b: ['x'] }],
  ['', '{"a":1}', { a: 1 }],
])('%s body decodes', (type, text, want) => {
  expect(decodeObject(bytes(text), type).value).toEqual(want)
})

test('malformed JSON is a 400 carrying the parser message', () => {
  const err = (() => {
    try {
      decodeObject(bytes('{"a":'), 'application/json')
    } catch (e) {
      return e as { code: number; message: string }
    }
  })()
  expect(err?.code).toBe(400)
  expect(err?.message).toContain('could not be decoded as JSON')
})

test('unknown media types are 415; protobuf needs a decoder', () => {
  expect(() => decodeObject(bytes('x'), 'text/plain')).toThrow('unknown format')
  expect(() => decodeObject(bytes('k8s\0'), 'application/vnd.kubernetes.protobuf')).toThrow('unknown format')
  expect(decodeObject(bytes('k8s\0'), 'application/vnd.kubernetes.protobuf', () => ({ ok: 1 })).value).toEqual({
    ok: 1,
  })
})

test('bodies over 3 MiB are 413 even without Content-Length', async () => {
  const big = new ReadableStream({
    start(c) {
      c.enqueue(new Uint8Array(MAX_BODY_BYTES))
      c.enqueue(new Uint8Array(1))
      c.close()
    },
  })
  const req = new Request('http://x/', { method: 'POST', body: big, duplex: 'half' } as RequestInit)
  const err = await readBody(req).catch((e) => e)
  expect(err.code).toBe(413)
})
