import { describe, expect, test } from 'bun:test'
import { generateKeyPairSync } from 'node:crypto'
import { importJWK, jwtVerify, SignJWT } from 'jose'
import { oidcDiscovery, serviceAccountKeyId } from './oidc-discovery.ts'

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const pubPem = publicKey.export({ type: 'spki', format: 'pem' }) as string
const serve = oidcDiscovery({
  issuer: 'https://kubernetes.default.svc.cluster.local',
  pubPem,
  externalAddress: () => '10.0.0.1:6443',
  alg: 'ES256',
})
const get = (path: string) => serve(new Request(`https://x${path}`), path)

describe('ServiceAccount issuer discovery', () => {
  test('openid-configuration names the issuer and the JWKS URI', async () => {
    const res = get('/.well-known/openid-configuration')!
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(await res.json()).toEqual({
      issuer: 'https://kubernetes.default.svc.cluster.local',
      jwks_uri: 'https://10.0.0.1:6443/openid/v1/jwks',
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
    })
  })

  test('a token signed with the key verifies against the published JWK, found by kid', async () => {
    const res = get('/openid/v1/jwks/')!
    expect(res.headers.get('content-type')).toBe('application/jwk-set+json')
    const { keys } = (await res.json()) as { keys: any[] }
    const kid = serviceAccountKeyId(pubPem)
    expect(keys).toHaveLength(1)
    expect(keys[0]).toMatchObject({ use: 'sig', kty: 'EC', crv: 'P-256', alg: 'ES256', kid })
    expect(keys[0].d).toBeUndefined()
    const token = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey)
    const { payload } = await jwtVerify(token, await importJWK(keys[0], 'ES256'))
    expect(payload.sub).toBe('x')
  })

  test('other paths and methods are not served here', () => {
    expect(get('/openid/v1/other')).toBeUndefined()
    expect(serve(new Request('https://x/openid/v1/jwks', { method: 'POST' }), '/openid/v1/jwks')).toBeUndefined()
  })
})
