import { afterAll, describe, expect, test } from 'bun:test'
import { ApiError } from '../../shared/errors.ts'
import { fakeStorage } from '../api/http/fake-store.test-helper.ts'
import { createApiHandler } from '../api/http/handler.ts'
import { builtinRegistry } from '../registry/index.ts'
import { credentialsFromKubeconfig, HttpClient } from './http.ts'

// The API handler over plain HTTP on loopback, with every request authenticated as an admin via a token.
const handler = createApiHandler({
  registry: builtinRegistry(),
  storage: fakeStorage(),
  authenticate: (req) =>
    req.headers.get('authorization') === 'Bearer t0k' ? { name: 'admin', groups: ['system:masters'] } : undefined,
  authorize: () => ({ allowed: true }),
})
const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: (req) => handler(req, {}) })
afterAll(() => server.stop(true))

const client = new HttpClient({ server: `http://127.0.0.1:${server.port}`, token: 't0k' })
const cms = { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' }

describe('HttpClient', () => {
  test('create, get, list, patch, delete', async () => {
    await client.create(cms, { metadata: { name: 'a' }, data: { x: '1' } })
    expect((await client.get(cms, 'a')).data).toEqual({ x: '1' })
    const list = await client.list(cms)
    expect(list.items.map((o) => o.metadata?.name)).toEqual(['a'])
    expect(list.resourceVersion).not.toBe('')
    await client.patch(cms, 'a', 'merge', { data: { x: '2' } })
    expect((await client.get(cms, 'a')).data).toEqual({ x: '2' })
    await client.delete(cms, 'a')
  })

  test('errors are ApiError with the server Status', async () => {
    const err = await client.get(cms, 'missing').catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.code).toBe(404)
    expect(err.message).toBe('configmaps "missing" not found')
    const anon = new HttpClient({ server: `http://127.0.0.1:${server.port}` })
    expect((await anon.list(cms).catch((e) => e)).code).toBe(401)
  })

  test('watch streams events until stopped', async () => {
    const seen: string[] = []
    const w = client.watch(cms, { resourceVersion: '100' }, (e) => {
      seen.push(`${e.type} ${e.object.metadata?.name}`)
    })
    // No readiness signal on a watch: create until the first event shows it is established.
    let n = 0
    while (!seen.length) {
      await client.create(cms, { metadata: { name: `w${n++}` } })
      await Bun.sleep(20)
    }
    const last = `w${n - 1}`
    await client.delete(cms, last)
    while (!seen.includes(`DELETED ${last}`)) await Bun.sleep(5)
    w.stop()
    await w.done
    expect(seen.at(-2)).toBe(`ADDED ${last}`)
  })

  test('credentials come from a kubeconfig', () => {
    const kc = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://10.0.0.1:6443", certificate-authority-data: ${Buffer.from('CA').toString('base64')}}}]
users: [{name: u, user: {token: abc}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`
    expect(credentialsFromKubeconfig(kc)).toMatchObject({ server: 'https://10.0.0.1:6443', ca: 'CA', token: 'abc' })
  })
})
