import { describe, expect, test } from 'bun:test'
import type { PeerIdentity, RequestAttributes } from '../../auth/types.ts'
import { builtinRegistry } from '../../registry/index.ts'
import { fakeStorage } from './fake-store.test-helper.ts'
import { createApiHandler } from './handler.ts'
import { DISCOVERY_V2_TYPE } from './negotiate.ts'

const admin: PeerIdentity = { user: { name: 'system:admin', groups: ['system:masters'] } }
const bob: PeerIdentity = { user: { name: 'bob', groups: ['system:authenticated'] } }

function server() {
  const registry = builtinRegistry()
  return createApiHandler({
    registry,
    storage: fakeStorage(),
    authenticate: (_req, peer) => peer.user,
    // bob may only read configmaps in "default"
    authorize: (a: RequestAttributes) => ({
      allowed:
        a.user.groups.includes('system:masters') ||
        (a.resource === 'configmaps' && a.namespace === 'default' && ['get', 'list'].includes(a.verb)) ||
        a.resource === 'selfsubjectaccessreviews',
    }),
    healthChecks: [
      { name: 'ping', check: () => true },
      { name: 'etcd', check: () => true },
    ],
  })
}

const h = server()
const call = (path: string, init: RequestInit = {}, peer: PeerIdentity = admin) =>
  h(new Request(`https://127.0.0.1:6443${path}`, init), peer)
const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })

describe('non-resource endpoints', () => {
  test('/version is anonymous and reports a current minor', async () => {
    const r = await call('/version', {}, {})
    expect(r.status).toBe(200)
    const v = (await r.json()) as any
    expect(v.major).toBe('1')
    expect(v.gitVersion).toStartWith(`v1.${v.minor}.`)
  })

  test('health endpoints list checks with ?verbose', async () => {
    expect(await (await call('/readyz', {}, {})).text()).toBe('ok')
    const text = await (await call('/livez?verbose', {}, {})).text()
    expect(text).toContain('[+]ping ok')
    expect(text).toContain('livez check passed')
  })

  test('anonymous discovery is 401, a rejected certificate too', async () => {
    expect((await call('/api', {}, {})).status).toBe(401)
    expect((await call('/healthz', {}, { rejected: 'bad' })).status).toBe(200)
    expect((await call('/api/v1', {}, { rejected: 'bad', user: admin.user })).status).toBe(401)
  })

  test('aggregated discovery answers with its exact content type', async () => {
    const r = await call('/api', { headers: { accept: `${DISCOVERY_V2_TYPE},application/json` } })
    expect(r.headers.get('content-type')).toBe(DISCOVERY_V2_TYPE)
    const doc = (await r.json()) as any
    const pods = doc.items[0].versions[0].resources.find((x: any) => x.resource === 'pods')
    expect(pods.scope).toBe('Namespaced')
    expect(pods.subresources.map((s: any) => s.subresource)).toContain('binding')
  })

  test('legacy discovery lists subresources as resource/sub', async () => {
    const legacy = (await (await call('/api')).json()) as any
    expect(legacy.versions).toEqual(['v1'])
    const list = (await (await call('/api/v1')).json()) as any
    expect(list.resources.map((r: any) => r.name)).toContain('pods/status')
  })

  test('unknown paths are a 404 Status', async () => {
    const r = await call('/apis/nope.example.com/v1')
    expect(r.status).toBe(404)
  })
})

describe('resources', () => {
  test('create, get as Table, list, delete', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { x: '1' } }
    const c = await call('/api/v1/namespaces/default/configmaps', { method: 'POST', ...json(cm) })
    expect(c.status).toBe(201)
    expect(((await c.json()) as any).metadata.namespace).toBe('default')
    const dup = await call('/api/v1/namespaces/default/configmaps', { method: 'POST', ...json(cm) })
    expect(dup.status).toBe(409)

    const t = await call('/api/v1/namespaces/default/configmaps/a', {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    })
    const table = (await t.json()) as any
    expect(table.kind).toBe('Table')
    expect(table.rows[0].cells[0]).toBe('a')
    expect(table.rows[0].object.kind).toBe('PartialObjectMetadata')

    const list = (await (await call('/api/v1/configmaps')).json()) as any
    expect(list.kind).toBe('ConfigMapList')
    expect(list.items[0].metadata.name).toBe('a')

    const d = await call('/api/v1/namespaces/default/configmaps/a', { method: 'DELETE' })
    expect(((await d.json()) as any).details.uid).toBe('uid-a')
  })

  test('a dry-run delete (DeleteOptions body, as kubectl sends it) keeps the object', async () => {
    await call('/api/v1/namespaces/default/configmaps', { method: 'POST', ...json({ metadata: { name: 'dry' } }) })
    const body = { kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'] }
    const d = await call('/api/v1/namespaces/default/configmaps/dry', { method: 'DELETE', ...json(body) })
    expect(d.status).toBe(200)
    expect((await call('/api/v1/namespaces/default/configmaps/dry')).status).toBe(200)
  })

  test('a verb the kind does not serve is 405', async () => {
    expect((await call('/api/v1/namespaces', { method: 'DELETE' })).status).toBe(405)
  })

  test('the namespace in the body must match the path', async () => {
    const cm = { metadata: { name: 'b', namespace: 'other' } }
    const r = await call('/api/v1/namespaces/default/configmaps', { method: 'POST', ...json(cm) })
    expect(r.status).toBe(400)
  })

  test('malformed JSON is 400 with the parser message, huge bodies 413, odd patches 415', async () => {
    const bad = await call('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: '{"a":',
      headers: { 'content-type': 'application/json' },
    })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as any).message).toContain('JSON')
    const big = await call('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      ...json({ data: { x: 'y'.repeat(4 << 20) } }),
    })
    expect(big.status).toBe(413)
    const p = await call('/api/v1/namespaces/default/configmaps/a', {
      method: 'PATCH',
      body: '{}',
      headers: { 'content-type': 'text/plain' },
    })
    expect(p.status).toBe(415)
  })

  test('forbidden requests carry the upstream message', async () => {
    const r = await call('/api/v1/namespaces/kube-system/configmaps', {}, bob)
    expect(r.status).toBe(403)
    expect(((await r.json()) as any).message).toBe(
      'configmaps is forbidden: User "bob" cannot list resource "configmaps" in API group "" in the namespace "kube-system"',
    )
    expect((await call('/api/v1/namespaces/default/configmaps', {}, bob)).status).toBe(200)
  })

  test('SelfSubjectAccessReview answers from the authorizer', async () => {
    const body = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: 'list', resource: 'configmaps', namespace: 'default' } },
    }
    const r = await call(
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      { method: 'POST', ...json(body) },
      bob,
    )
    expect(r.status).toBe(201)
    expect(((await r.json()) as any).status.allowed).toBe(true)
  })

  test('binding assigns a pod once, via pods/NAME/binding or the legacy bindings resource', async () => {
    await call('/api/v1/namespaces/default/pods', { method: 'POST', ...json({ metadata: { name: 'b1' } }) })
    await call('/api/v1/namespaces/default/pods', { method: 'POST', ...json({ metadata: { name: 'b2' } }) })
    const target = { apiVersion: 'v1', kind: 'Node', name: 'n1' }
    const sub = await call('/api/v1/namespaces/default/pods/b1/binding', { method: 'POST', ...json({ target }) })
    expect(sub.status).toBe(201)
    const legacy = { kind: 'Binding', metadata: { name: 'b2' }, target }
    expect((await call('/api/v1/namespaces/default/bindings', { method: 'POST', ...json(legacy) })).status).toBe(201)
    const pod = (await (await call('/api/v1/namespaces/default/pods/b2')).json()) as any
    expect(pod.spec.nodeName).toBe('n1')
    const again = await call('/api/v1/namespaces/default/bindings', { method: 'POST', ...json(legacy) })
    expect(again.status).toBe(409)
  })

  test('streaming subresources answer 503 without an agent', async () => {
    await call('/api/v1/namespaces/default/pods', { method: 'POST', ...json({ metadata: { name: 'p' } }) })
    const r = await call('/api/v1/namespaces/default/pods/p/log')
    expect(r.status).toBe(503)
    expect(((await r.json()) as any).message).toContain('agent')
  })
})

describe('watch', () => {
  test('streams one JSON event per line, Table-shaped when asked', async () => {
    const ac = new AbortController()
    const r = await call('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=100', {
      signal: ac.signal,
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    })
    expect(r.status).toBe(200)
    const reader = r.body!.getReader()
    await call('/api/v1/namespaces/default/configmaps', { method: 'POST', ...json({ metadata: { name: 'w1' } }) })
    await call('/api/v1/namespaces/default/configmaps', { method: 'POST', ...json({ metadata: { name: 'w2' } }) })
    let text = ''
    while (text.trim().split('\n').length < 2) text += new TextDecoder().decode((await reader.read()).value)
    const [e1, e2] = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(e1.type).toBe('ADDED')
    expect(e1.object.kind).toBe('Table')
    expect(e1.object.columnDefinitions.length).toBeGreaterThan(0)
    expect(e2.object.columnDefinitions).toEqual([])
    expect(e2.object.rows[0].cells[0]).toBe('w2')
    ac.abort()
    await reader.cancel()
  })

  test('a compacted resourceVersion is an in-stream 410 Expired', async () => {
    const r = await call('/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1')
    const event = JSON.parse(await r.text())
    expect(event.type).toBe('ERROR')
    expect(event.object.code).toBe(410)
  })

  test('the stream ends at timeoutSeconds', async () => {
    const r = await call('/api/v1/configmaps?watch=true&timeoutSeconds=1')
    expect((await r.text()).trim()).toBe('')
  })
})

describe('deprecation warnings', () => {
  test('core/v1 Endpoints carry the 1.33 deprecation warning; EndpointSlices do not', async () => {
    const r = await call('/api/v1/namespaces/default/endpoints')
    expect(r.status).toBe(200)
    expect(r.headers.get('warning')).toContain(
      'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',
    )
    const s = await call('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices')
    expect(s.headers.get('warning')).toBeNull()
  })
})
