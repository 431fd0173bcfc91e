import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { decode } from '../../../datastore/ops.ts'
import { ctx, defs, type Fixture, openFixture, withNamespaces } from './test-fixtures.test-helper.ts'

let f: Fixture
beforeEach(async () => {
  f = await openFixture()
  await withNamespaces(f, 'default', 'other')
})
afterEach(() => f.close())

const cms = () => f.storage.storeFor(defs.configmaps)
const errOf = async (p: Promise<unknown>) => {
  try {
    await p
  } catch (e) {
    return e as { code: number; reason: string; message: string; details?: any }
  }
  throw new Error('expected an error')
}

describe('create and get', () => {
  test('stores at the upstream key with server-owned metadata; resourceVersion is the mod revision', async () => {
    const o = await cms().create('default', { metadata: { name: 'a' }, data: { k: 'v' } }, ctx())
    expect(o.apiVersion).toBe('v1')
    expect(o.kind).toBe('ConfigMap')
    expect(o.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/)
    expect(o.metadata?.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    const r = await f.backend.range({ key: '/registry/configmaps/default/a' })
    expect(String(r.kvs[0].modRevision)).toBe(o.metadata!.resourceVersion!)
    const stored = JSON.parse(decode(r.kvs[0].value))
    expect(stored.metadata.resourceVersion).toBeUndefined()
    expect(stored.data).toEqual({ k: 'v' })
    expect(await cms().get('default', 'a')).toEqual(o)
  })

  test('second create is AlreadyExists; missing get is NotFound', async () => {
    await cms().create('default', { metadata: { name: 'a' } }, ctx())
    const e = await errOf(cms().create('default', { metadata: { name: 'a' } }, ctx()))
    expect(e.code).toBe(409)
    expect(e.message).toBe('configmaps "a" already exists')
    const nf = await errOf(cms().get('default', 'zz'))
    expect(nf.code).toBe(404)
    expect(nf.message).toBe('configmaps "zz" not found')
  })

  test('a resourceVersion on a new object is refused as upstream', async () => {
    const e = await errOf(cms().create('default', { metadata: { name: 'r', resourceVersion: '12' } }, ctx()))
    expect(e.code).toBe(500)
    expect(e.message).toBe('resourceVersion should not be set on objects to be created')
  })

  test('generateName appends five characters from the upstream alphabet', async () => {
    const o = await cms().create('default', { metadata: { generateName: 'job-' } }, ctx())
    expect(o.metadata!.name).toMatch(/^job-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
  })

  test('namespace must exist and not be terminating', async () => {
    const e = await errOf(cms().create('nope', { metadata: { name: 'a' } }, ctx()))
    expect(e.code).toBe(404)
    expect(e.message).toBe('namespaces "nope" not found')
    const nsStore = f.storage.storeFor(defs.namespaces)
    const del = await nsStore.delete(undefined, 'other', {}, ctx())
    expect(del.deleted).toBe(false)
    expect(del.object.status.phase).toBe('Terminating')
    const t = await errOf(cms().create('other', { metadata: { name: 'a' } }, ctx()))
    expect(t.code).toBe(403)
    expect(t.message).toBe(
      'configmaps "a" is forbidden: unable to create new content in namespace other because it is being terminated',
    )
  })

  test('dryRun returns the object that would be stored and writes nothing', async () => {
    const rev = f.backend.currentRevision()
    const o = await cms().create('default', { metadata: { name: 'dry' } }, ctx({ dryRun: true }))
    expect(o.metadata?.uid).toBeDefined()
    expect(f.backend.currentRevision()).toBe(rev)
    expect((await errOf(cms().get('default', 'dry'))).code).toBe(404)
  })

  test('cluster-scoped kinds have no namespace in key or object', async () => {
    const n = await f.storage
      .storeFor(defs.nodes)
      .create(undefined, { metadata: { name: 'n1', namespace: 'x' } }, ctx())
    expect(n.metadata?.namespace).toBeUndefined()
    expect((await f.backend.range({ key: '/registry/minions/n1' })).kvs).toHaveLength(1)
  })

  test('custom resources are stored under /registry/<group>/<plural>/', async () => {
    await f.storage.storeFor(defs.widgets).create('default', { metadata: { name: 'w' } }, ctx())
    expect((await f.backend.range({ key: '/registry/example.com/widgets/default/w' })).kvs).toHaveLength(1)
  })

  test('validation hooks reject with 422 and field causes', async () => {
    const e = await errOf(
      f.storage
        .storeFor(defs.deployments)
        .create('default', { metadata: { name: 'd' }, spec: { replicas: -1 } }, ctx()),
    )
    expect(e.code).toBe(422)
    expect(e.message).toBe(
      'Deployment.apps "d" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    )
    expect(e.details.causes[0].field).toBe('spec.replicas')
  })
})

describe('update', () => {
  test('stale resourceVersion is a 409 Conflict with the upstream message; none is unconditional', async () => {
    const o = await cms().create('default', { metadata: { name: 'a' }, data: { v: '1' } }, ctx())
    const u = await cms().update('default', 'a', { ...o, data: { v: '2' } }, ctx())
    expect(Number(u.object.metadata!.resourceVersion)).toBeGreaterThan(Number(o.metadata!.resourceVersion))
    const e = await errOf(cms().update('default', 'a', { ...o, data: { v: '3' } }, ctx()))
    expect(e.code).toBe(409)
    expect(e.message).toBe(
      'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
    )
    const { metadata, ...rest } = o
    const blind = await cms().update('default', 'a', { ...rest, metadata: { name: 'a' }, data: { v: '4' } }, ctx())
    expect(blind.object.data).toEqual({ v: '4' })
    expect(blind.object.metadata!.uid).toBe(o.metadata!.uid)
    expect(blind.object.metadata!.creationTimestamp).toBe(o.metadata!.creationTimestamp)
  })

  test('update of a missing object is NotFound (no create on update); URL/body name mismatch is 400', async () => {
    expect((await errOf(cms().update('default', 'x', { metadata: { name: 'x' } }, ctx()))).code).toBe(404)
    await cms().create('default', { metadata: { name: 'a' } }, ctx())
    const e = await errOf(cms().update('default', 'a', { metadata: { name: 'b' } }, ctx()))
    expect(e.code).toBe(400)
  })

  test('a uid in the body is a precondition, for updates and patches (status too)', async () => {
    await cms().create('default', { metadata: { name: 'a' } }, ctx())
    const e = await errOf(cms().update('default', 'a', { metadata: { name: 'a', uid: 'other' } }, ctx()))
    expect(e.code).toBe(409)
    expect(e.message).toBe(
      'Operation cannot be fulfilled on configmaps "a": Precondition failed: UID in precondition: other, UID in object meta: ' +
        (await cms().get('default', 'a')).metadata!.uid,
    )
    const pods = f.storage.storeFor(defs.pods)
    await pods.create('default', { metadata: { name: 'p' }, spec: {} }, ctx())
    const s = await errOf(
      pods.patch('default', 'p', 'merge', { metadata: { uid: 'old-pod' }, status: { phase: 'Running' } }, ctx(), {
        subresource: 'status',
      }),
    )
    expect(s.code).toBe(409)
    expect((await pods.get('default', 'p')).status.phase).toBe('Pending')
  })

  test('an identical update writes nothing and keeps the resourceVersion', async () => {
    const o = await cms().create('default', { metadata: { name: 'a' }, data: { v: '1' } }, ctx())
    const rev = f.backend.currentRevision()
    const u = await cms().update('default', 'a', o, ctx())
    expect(u.object.metadata!.resourceVersion).toBe(o.metadata!.resourceVersion)
    expect(f.backend.currentRevision()).toBe(rev)
  })

  test('dryRun update does not persist', async () => {
    const o = await cms().create('default', { metadata: { name: 'a' }, data: { v: '1' } }, ctx())
    const u = await cms().update('default', 'a', { ...o, data: { v: '2' } }, ctx({ dryRun: true }))
    expect(u.object.data).toEqual({ v: '2' })
    expect((await cms().get('default', 'a')).data).toEqual({ v: '1' })
  })
})

describe('dryRun on every verb', () => {
  test('patch, delete, deletecollection and scale with dryRun change nothing', async () => {
    await cms().create('default', { metadata: { name: 'a', labels: { x: '1' } }, data: { v: '1' } }, ctx())
    const rev = f.backend.currentRevision()
    const dry = ctx({ dryRun: true })
    expect((await cms().patch('default', 'a', 'merge', { data: { v: '2' } }, dry)).data).toEqual({ v: '2' })
    expect((await cms().delete('default', 'a', {}, dry)).deleted).toBe(true)
    expect(await cms().deleteCollection('default', { labelSelector: 'x=1' }, {}, dry)).toHaveLength(1)
    const d = f.storage.storeFor(defs.deployments)
    await d.create('default', { metadata: { name: 'd' }, spec: { replicas: 1 } }, ctx())
    const drev = f.backend.currentRevision()
    const sc = await d.patch('default', 'd', 'merge', { spec: { replicas: 9 } }, dry, { subresource: 'scale' })
    expect(sc.spec.replicas).toBe(9)
    expect(f.backend.currentRevision()).toBe(drev)
    expect(drev).toBe(rev + 1)
    expect((await cms().get('default', 'a')).data).toEqual({ v: '1' })
    expect((await d.get('default', 'd')).spec.replicas).toBe(1)
  })
})

describe('patch', () => {
  test('merge, json and strategic patches apply to the live object', async () => {
    await cms().create('default', { metadata: { name: 'a' }, data: { a: '1', b: '2' } }, ctx())
    const m = await cms().patch('default', 'a', 'merge', { data: { b: null, c: '3' } }, ctx())
    expect(m.data).toEqual({ a: '1', c: '3' })
    const j = await cms().patch('default', 'a', 'json', [{ op: 'add', path: '/data/d', value: '4' }], ctx())
    expect(j.data).toEqual({ a: '1', c: '3', d: '4' })
    const s = await cms().patch('default', 'a', 'strategic', { metadata: { labels: { x: 'y' } } }, ctx())
    expect(s.metadata?.labels).toEqual({ x: 'y' })
  })

  test('a resourceVersion in the patch body is a precondition', async () => {
    const o = await cms().create('default', { metadata: { name: 'a' } }, ctx())
    await cms().patch('default', 'a', 'merge', { data: { x: '1' } }, ctx())
    const e = await errOf(
      cms().patch(
        'default',
        'a',
        'merge',
        { metadata: { resourceVersion: o.metadata!.resourceVersion }, data: { y: '1' } },
        ctx(),
      ),
    )
    expect(e.code).toBe(409)
  })

  test('apply creates a missing object; other patch types 404', async () => {
    expect((await errOf(cms().patch('default', 'n', 'merge', { data: {} }, ctx()))).code).toBe(404)
    const o = await cms().patch(
      'default',
      'n',
      'apply',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' }, data: { a: 'b' } },
      ctx({ fieldManager: 'kubectl' }),
    )
    expect(o.data).toEqual({ a: 'b' })
    expect(o.metadata?.managedFields?.[0]?.manager).toBe('kubectl')
  })
})

describe('managedFields and server-side apply', () => {
  test('every write records its field manager; apply conflicts name the other manager; force takes over', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' }, data: { k: '1' } }
    await cms().patch('default', 'ssa', 'apply', cm, ctx({ fieldManager: 'alice' }))
    const u = await cms().patch('default', 'ssa', 'merge', { data: { other: 'x' } }, ctx({ fieldManager: 'bob' }))
    expect(u.metadata?.managedFields?.map((m) => `${m.manager}/${m.operation}`)).toEqual(['alice/Apply', 'bob/Update'])
    const e = await errOf(
      cms().patch('default', 'ssa', 'apply', { ...cm, data: { other: 'y' } }, ctx({ fieldManager: 'alice' })),
    )
    expect(e.code).toBe(409)
    expect(e.message).toContain('conflict with "bob"')
    const forced = await cms().patch(
      'default',
      'ssa',
      'apply',
      { ...cm, data: { k: '1', other: 'y' } },
      ctx({ fieldManager: 'alice' }),
      {
        force: true,
      },
    )
    expect(forced.data).toEqual({ k: '1', other: 'y' })
  })

  test('custom resources refuse strategic merge patches with 415', async () => {
    const w = f.storage.storeFor(defs.widgets)
    await w.create('default', { metadata: { name: 'w' }, spec: { a: 1 } }, ctx())
    expect((await errOf(w.patch('default', 'w', 'strategic', { spec: { a: 2 } }, ctx()))).code).toBe(415)
    expect((await w.patch('default', 'w', 'merge', { spec: { a: 2 } }, ctx())).spec).toEqual({ a: 2 })
  })
})
