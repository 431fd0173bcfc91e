import { expect, test } from 'bun:test'
import { decodeContinue, encodeContinue } from './continue-token.ts'

test('round-trips revision and start key', () => {
  const t = encodeContinue({ rv: 42, start: 'default/web-1' })
  expect(decodeContinue(t)).toEqual({ rv: 42, start: 'default/web-1' })
})

test.each([
  '',
  'garbage',
  Buffer.from('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}').toString('base64url'),
  Buffer.from('{"v":"meta.k8s.io/v1","rv":3,"start":"../x"}').toString('base64url'),
])('%p is a 400', (t) => {
  expect(() => decodeContinue(t)).toThrow(expect.objectContaining({ code: 400 }))
})
