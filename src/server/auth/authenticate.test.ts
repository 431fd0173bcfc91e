import { describe, expect, test } from 'bun:test'
import { ApiError } from '../../shared/errors.ts'
import { authenticate, bearerToken } from './authenticate.ts'
import { staticTokenAuthenticator } from './static-tokens.ts'
import type { TokenAuthenticator } from './types.ts'

const tokens = [staticTokenAuthenticator({ s3cret: { name: 'robot', uid: 'u1', groups: ['bots'] } })]
const request = (headers: Record<string, string> = {}) => new Request('https://x/api', { headers })

const status = async (p: Promise<unknown>) => {
  try {
    await p
    return 0
  } catch (e) {
    return e instanceof ApiError ? e.code : -1
  }
}

describe('authenticate', () => {
  test('a client certificate identity wins, and joins system:authenticated', async () => {
    const u = await authenticate(request(), { user: { name: 'alice', groups: ['dev'] } }, tokens)
    expect(u).toEqual({ name: 'alice', groups: ['dev', 'system:authenticated'] })
  })

  test('system:authenticated is not added twice', async () => {
    const u = await authenticate(request(), { user: { name: 'a', groups: ['system:authenticated'] } }, tokens)
    expect(u.groups).toEqual(['system:authenticated'])
  })

  test('a known bearer token authenticates', async () => {
    const u = await authenticate(request({ authorization: 'Bearer s3cret' }), {}, tokens)
    expect(u).toEqual({ name: 'robot', uid: 'u1', groups: ['bots', 'system:authenticated'] })
  })

  test('an unknown bearer token is 401, not anonymous', async () => {
    expect(await status(authenticate(request({ authorization: 'Bearer nope' }), {}, tokens))).toBe(401)
  })

  test('an authenticator that throws only declines; the next one may accept', async () => {
    const broken: TokenAuthenticator = {
      authenticate: async () => {
        throw new Error('malformed JWT')
      },
    }
    const u = await authenticate(request({ authorization: 'Bearer s3cret' }), {}, [broken, ...tokens])
    expect(u.name).toBe('robot')
  })

  test('an untrusted client certificate is 401 unless a valid token comes with it', async () => {
    expect(await status(authenticate(request(), { rejected: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }, tokens))).toBe(401)
    const u = await authenticate(request({ authorization: 'Bearer s3cret' }), { rejected: 'x' }, tokens)
    expect(u.name).toBe('robot')
  })

  test('no credentials is system:anonymous in system:unauthenticated', async () => {
    expect(await authenticate(request(), {}, tokens)).toEqual({
      name: 'system:anonymous',
      groups: ['system:unauthenticated'],
    })
  })
})

describe('bearerToken', () => {
  test.each<[string, Record<string, string>, string | undefined]>([
    ['Authorization: Bearer', { authorization: 'Bearer abc.def' }, 'abc.def'],
    ['scheme is case-insensitive', { authorization: 'bearer abc' }, 'abc'],
    ['empty token is no token', { authorization: 'Bearer ' }, undefined],
    ['basic auth is not a bearer token', { authorization: 'Basic dXNlcjpwYXNz' }, undefined],
    [
      'WebSocket subprotocol token',
      {
        upgrade: 'websocket',
        'sec-websocket-protocol': `v5.channel.k8s.io, base64url.bearer.authorization.k8s.io.${Buffer.from('tok').toString('base64url')}`,
      },
      'tok',
    ],
    [
      'subprotocol token needs an upgrade',
      { 'sec-websocket-protocol': `base64url.bearer.authorization.k8s.io.${Buffer.from('tok').toString('base64url')}` },
      undefined,
    ],
  ])('%s', (_, headers, want) => expect(bearerToken(request(headers))).toBe(want))
})
