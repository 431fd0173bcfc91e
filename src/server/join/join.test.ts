// Tokens, node passwords and the join endpoints (called as a Fetch handler, no socket).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ApiEnv, openApiEnv } from '../controllers/lib/api-env.test-helper.ts'
import { ensurePki, type Pki } from '../tls/index.ts'
import {
  bootstrapSecretAccepts,
  bootstrapTokenSecret,
  createBootstrapToken,
  listBootstrapTokens,
} from './bootstrap-tokens.ts'
import { hashNodePassword, verifyNodePassword } from './node-password.ts'
import { joinRoutes } from './routes.ts'
import {
  BOOTSTRAP_TOKEN_RE,
  caHash,
  formatToken,
  newBootstrapToken,
  parseJoinToken,
  parseToken,
  parseTtl,
} from './tokens.ts'

describe('tokens', () => {
  test.each([
    ['24h', 86_400_000],
    ['90m', 5_400_000],
    ['1h30m', 5_400_000],
    ['0', 0],
  ])('ttl %p', (t, ms) => expect(parseTtl(t)).toBe(ms))
  test('bad ttl says what to write', () => expect(() => parseTtl('tomorrow')).toThrow(/24h/))
  test('K10 form and bare secrets', () => {
    const t = formatToken('CA', 'abc')
    expect(parseToken(t)).toEqual({ caHash: caHash('CA'), user: 'server', secret: 'abc' })
    expect(parseToken(`K10${caHash('CA')}::node:abcdef.0123456789abcdef`).secret).toBe('abcdef.0123456789abcdef')
    expect(parseToken('plain').caHash).toBeUndefined()
    expect(parseJoinToken(`K10${caHash('CA')}::abcdef.0123456789abcdef`)).toEqual({
      caHash: caHash('CA'),
      secret: 'abcdef.0123456789abcdef',
    })
  })
  test('bootstrap tokens: format, expiry, wrong secret', () => {
    const tok = newBootstrapToken()
    expect(tok).toMatch(BOOTSTRAP_TOKEN_RE)
    const s = bootstrapTokenSecret(tok, { ttlMs: 60_000, now: 0 })
    expect(bootstrapSecretAccepts(s, tok, 30_000)).toBe(true)
    expect(bootstrapSecretAccepts(s, tok, 61_000)).toBe(false)
    expect(bootstrapSecretAccepts(s, `${tok.slice(0, 7)}0000000000000000`, 0)).toBe(false)
  })
  test('node password hashes verify only the same password', () => {
    const h = hashNodePassword('p1')
    expect(verifyNodePassword('p1', h)).toBe(true)
    expect(verifyNodePassword('p2', h)).toBe(false)
  })
})

describe('join endpoints', () => {
  const cluster = {
    clusterCidr: '10.100.0.0/16',
    serviceCidr: '10.200.0.0/16',
    clusterDns: '10.200.0.10',
    clusterDomain: 'corp.local',
    nodePortRange: '31000-31999',
  }
  let env: ApiEnv
  let pki: Pki
  let dir: string
  let route: ReturnType<typeof joinRoutes>
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubun-join-'))
    env = await openApiEnv()
    pki = await ensurePki({ dataDir: dir, sans: [], ips: [] })
    route = joinRoutes({ pki, client: env.client, serverSecret: 'server-secret', cluster })
  })
  afterAll(async () => {
    await env.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const certReq = (token: string, body: unknown) =>
    new Request('https://x/v1-kubun/node-cert', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    })

  test('cacerts is the server CA', async () => {
    const res = await route(new Request('https://x/cacerts'))
    expect(await res!.text()).toBe(pki.serverCa.certPem)
    expect(await route(new Request('https://x/api'))).toBeUndefined()
  })
  test('issues a node certificate; another password for the same name is refused', async () => {
    const ok = await route(certReq('server-secret', { nodeName: 'n1', nodePassword: 'a' }))
    expect(ok!.status).toBe(200)
    const body = (await ok!.json()) as any
    expect(body.certPem).toContain('BEGIN CERTIFICATE')
    // a remote agent has no cluster flags: it runs with the server's
    expect(body.cluster).toEqual(cluster)
    expect((await route(certReq('server-secret', { nodeName: 'n1', nodePassword: 'a' })))!.status).toBe(200)
    const taken = await route(certReq('server-secret', { nodeName: 'n1', nodePassword: 'b' }))
    expect(taken!.status).toBe(403)
    expect(((await taken!.json()) as any).message).toContain('already registered with another node password')
  })
  test('wrong token → 401; a bootstrap token works and is listed', async () => {
    expect((await route(certReq('nope', { nodeName: 'n2', nodePassword: 'a' })))!.status).toBe(401)
    const tok = await createBootstrapToken(env.client, { ttlMs: 3_600_000, description: 'ci' })
    expect((await route(certReq(tok, { nodeName: 'n2', nodePassword: 'a' })))!.status).toBe(200)
    const list = await listBootstrapTokens(env.client)
    expect(list.map((t) => [t.id, t.description])).toContainEqual([tok.slice(0, 6), 'ci'])
  })
})
