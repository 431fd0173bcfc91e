import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { ctx, defs, type Fixture, openFixture, withNamespaces } from './test-fixtures.test-helper.ts'

let f: Fixture
beforeEach(async () => {
  f = await openFixture()
  await withNamespaces(f, 'default')
})
afterEach(() => f.close())

const deploys = () => f.storage.storeFor(defs.deployments)
const pods = () => f.storage.storeFor(defs.pods)
const cms = () => f.storage.storeFor(defs.configmaps)
const errOf = async (p: Promise<unknown>) => {
  try {
    await p
  } catch (e) {
    return e as { code: number; reason: string; message: string }
  }
  throw new Error('expected an error')
}
const deployment = { metadata: { name: 'web' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } } } }

describe('status and scale subresources, generation', () => {
  test('create drops status and starts generation at 1', async () => {
    const d = await deploys().create('default', { ...deployment, status: { replicas: 9 } }, ctx())
    expect(d.status).toBeUndefined()
    expect(d.metadata?.generation).toBe(1)
  })

  test('main PUT ignores status; status PUT ignores everything but status; only spec bumps generation', async () => {
    const d = await deploys().create('default', deployment, ctx())
    const u1 = await deploys().update(
      'default',
      'web',
      { ...d, spec: { ...d.spec, replicas: 3 }, status: { replicas: 5 } },
      ctx(),
    )
    expect(u1.object.status).toBeUndefined()
    expect(u1.object.metadata?.generation).toBe(2)
    const u2 = await deploys().update(
      'default',
      'web',
      {
        ...u1.object,
        spec: { replicas: 7 },
        metadata: { ...u1.object.metadata, labels: { x: 'y' } },
        status: { replicas: 3 },
      },
      ctx(),
      'status',
    )
    expect(u2.object.status).toEqual({ replicas: 3 })
    expect(u2.object.spec.replicas).toBe(3)
    expect(u2.object.metadata?.labels).toBeUndefined()
    expect(u2.object.metadata?.generation).toBe(2)
    const u3 = await deploys().patch('default', 'web', 'merge', { metadata: { labels: { a: 'b' } } }, ctx())
    expect(u3.metadata?.generation).toBe(2)
    const s = await deploys().patch('default', 'web', 'merge', { status: { observedGeneration: 2 } }, ctx(), {
      subresource: 'status',
    })
    expect(s.status).toEqual({ replicas: 3, observedGeneration: 2 })
  })

  test("deployments: the controller's revision annotation does not bump generation", async () => {
    await deploys().create('default', deployment, ctx())
    const annotations = { 'deployment.kubernetes.io/revision': '1' }
    const r = await deploys().patch('default', 'web', 'merge', { metadata: { annotations } }, ctx())
    expect(r.metadata?.generation).toBe(1)
  })

  test('deployments: annotation changes bump generation too; labels do not', async () => {
    await deploys().create('default', deployment, ctx())
    const l = await deploys().patch('default', 'web', 'merge', { metadata: { labels: { a: 'b' } } }, ctx())
    expect(l.metadata?.generation).toBe(1)
    const a = await deploys().patch('default', 'web', 'merge', { metadata: { annotations: { a: 'b' } } }, ctx())
    expect(a.metadata?.generation).toBe(2)
  })

  test('deployments: a status write may set annotations without bumping generation (the controller records its revision so)', async () => {
    await deploys().create('default', deployment, ctx())
    const live = await deploys().get('default', 'web')
    const rev = { ...live, metadata: { ...live.metadata, annotations: { 'deployment.kubernetes.io/revision': '1' } } }
    const u = await deploys().update('default', 'web', { ...rev, status: { replicas: 1 } }, ctx(), 'status')
    expect(u.object.metadata?.generation).toBe(1)
    expect(u.object.metadata?.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' })
    const p = await deploys().patch(
      'default',
      'web',
      'merge',
      { metadata: { annotations: { b: '2' }, labels: { c: '3' } } },
      ctx(),
      {
        subresource: 'status',
      },
    )
    expect(p.metadata?.generation).toBe(1)
    expect(p.metadata?.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1', b: '2' })
    expect(p.metadata?.labels?.c).toBeUndefined()
    // a partial status body leaves annotations alone
    const partial = await deploys().update(
      'default',
      'web',
      { metadata: { name: 'web' }, status: { replicas: 2 } },
      ctx(),
      'status',
    )
    expect(partial.object.metadata?.annotations?.b).toBe('2')
  })

  test('custom resources track generation; without a status subresource status changes count', async () => {
    const w = f.storage.storeFor(defs.widgets)
    const c = await w.create('default', { metadata: { name: 'w' }, spec: { a: 1 } }, ctx())
    expect(c.metadata?.generation).toBe(1)
    expect((await w.patch('default', 'w', 'merge', { status: { ok: true } }, ctx())).metadata?.generation).toBe(2)
    expect(
      (await w.patch('default', 'w', 'merge', { metadata: { labels: { x: 'y' } } }, ctx())).metadata?.generation,
    ).toBe(2)
  })

  test('scale get/update/patch map onto spec.replicas and status', async () => {
    await deploys().create('default', deployment, ctx())
    await deploys().update('default', 'web', { metadata: { name: 'web' }, status: { replicas: 1 } }, ctx(), 'status')
    const sc = await deploys().get('default', 'web', undefined, { subresource: 'scale' })
    expect(sc).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 1 },
      status: { replicas: 1, selector: 'app=web' },
    })
    const up = await deploys().update('default', 'web', { ...sc, spec: { replicas: 4 } }, ctx(), 'scale')
    expect(up.object.spec.replicas).toBe(4)
    const stale = await errOf(deploys().update('default', 'web', { ...sc, spec: { replicas: 5 } }, ctx(), 'scale'))
    expect(stale.code).toBe(409)
    const p = await deploys().patch('default', 'web', 'merge', { spec: { replicas: 2 } }, ctx(), {
      subresource: 'scale',
    })
    expect(p.spec.replicas).toBe(2)
    const d = await deploys().get('default', 'web')
    expect(d.spec.replicas).toBe(2)
    expect(d.metadata?.generation).toBe(3)
    expect((await errOf(cms().get('default', 'x', undefined, { subresource: 'scale' }))).code).toBe(404)
  })
})

describe('create on update and expiry', () => {
  test('PUT creates where upstream allows it (leases) and 404s elsewhere', async () => {
    const leases = f.storage.storeFor(defs.leases)
    const r = await leases.update('default', 'l', { metadata: { name: 'l' }, spec: { holderIdentity: 'a' } }, ctx())
    expect(r.created).toBe(true)
    expect((await leases.get('default', 'l')).spec.holderIdentity).toBe('a')
    expect((await errOf(cms().update('default', 'nope', { metadata: { name: 'nope' } }, ctx()))).code).toBe(404)
  })

  test('events are written with a lease so they expire after the event TTL', async () => {
    await f.storage.storeFor(defs.events).create('default', { metadata: { name: 'e' }, reason: 'R' }, ctx())
    await f.storage.storeFor(defs.events).create('default', { metadata: { name: 'e2' }, reason: 'R' }, ctx())
    const kvs = (await f.backend.range({ key: '/registry/events/', rangeEnd: '/registry/events0' })).kvs
    expect(kvs).toHaveLength(2)
    expect(kvs[0].lease).not.toBe(0)
    expect(kvs[1].lease).toBe(kvs[0].lease)
    const info = await f.backend.leaseTimeToLive(kvs[0].lease)
    expect(info.ttl).toBeGreaterThanOrEqual(3600)
  })
})

describe('events through both APIs', () => {
  test('events.k8s.io/v1 writes are core/v1 Events in storage and read back in either shape', async () => {
    const modern = f.storage.storeFor(defs.eventsV1)
    const core = f.storage.storeFor(defs.events)
    const created = await modern.create(
      'default',
      { metadata: { name: 'e1' }, regarding: { kind: 'Pod', name: 'p' }, note: 'hello', reason: 'R', type: 'Normal' },
      ctx(),
    )
    expect(created.apiVersion).toBe('events.k8s.io/v1')
    expect(created.note).toBe('hello')
    const asCore = await core.get('default', 'e1')
    expect(asCore).toMatchObject({ apiVersion: 'v1', involvedObject: { name: 'p' }, message: 'hello' })
    const viaCore = await core.list('default', { fieldSelector: 'involvedObject.name=p' })
    expect(viaCore.items.map((e) => e.message)).toEqual(['hello'])
    const viaModern = await modern.list('default', { fieldSelector: 'regarding.name=p' })
    expect(viaModern.items.map((e) => e.note)).toEqual(['hello'])
    const patched = await modern.patch('default', 'e1', 'merge', { note: 'again' }, ctx())
    expect(patched.note).toBe('again')
    expect((await core.get('default', 'e1')).message).toBe('again')
  })
})

describe('deletion', () => {
  test('finalizers keep the object with deletionTimestamp until an update empties them', async () => {
    await cms().create('default', { metadata: { name: 'a', finalizers: ['example.com/x'] } }, ctx())
    const r = await cms().delete('default', 'a', {}, ctx())
    expect(r.deleted).toBe(false)
    expect(r.object.metadata?.deletionTimestamp).toBeDefined()
    expect(r.object.metadata?.deletionGracePeriodSeconds).toBe(0)
    const again = await cms().delete('default', 'a', {}, ctx())
    expect(again.deleted).toBe(false)
    const blocked = await errOf(cms().create('default', { metadata: { name: 'a' } }, ctx()))
    expect(blocked.code).toBe(409)
    await cms().patch('default', 'a', 'merge', { metadata: { finalizers: null } }, ctx())
    expect((await errOf(cms().get('default', 'a'))).code).toBe(404)
  })

  test('propagationPolicy Orphan and Foreground record the garbage collector finalizers', async () => {
    await cms().create('default', { metadata: { name: 'o' } }, ctx())
    await cms().create('default', { metadata: { name: 'f' } }, ctx())
    const o = await cms().delete('default', 'o', { propagationPolicy: 'Orphan' }, ctx())
    expect(o.object.metadata?.finalizers).toEqual(['orphan'])
    const fg = await cms().delete('default', 'f', { propagationPolicy: 'Foreground' }, ctx())
    expect(fg.object.metadata?.finalizers).toEqual(['foregroundDeletion'])
    expect(fg.deleted).toBe(false)
  })

  test('preconditions on uid and resourceVersion', async () => {
    const a = await cms().create('default', { metadata: { name: 'a' } }, ctx())
    const e = await errOf(cms().delete('default', 'a', { preconditions: { uid: 'nope' } }, ctx()))
    expect(e.code).toBe(409)
    expect(e.message).toContain('Precondition failed: UID in precondition: nope')
    const r = await cms().delete(
      'default',
      'a',
      { preconditions: { uid: a.metadata!.uid, resourceVersion: a.metadata!.resourceVersion } },
      ctx(),
    )
    expect(r.deleted).toBe(true)
  })

  test('bound pods delete gracefully and the kubelet finishes with grace 0; unbound pods go at once', async () => {
    await pods().create(
      'default',
      { metadata: { name: 'bound' }, spec: { nodeName: 'n1', terminationGracePeriodSeconds: 10 } },
      ctx(),
    )
    await pods().create('default', { metadata: { name: 'loose' }, spec: {} }, ctx())
    expect((await pods().delete('default', 'loose', {}, ctx())).deleted).toBe(true)
    const g = await pods().delete('default', 'bound', {}, ctx())
    expect(g.deleted).toBe(false)
    expect(g.object.metadata?.deletionGracePeriodSeconds).toBe(10)
    const done = await pods().delete('default', 'bound', { gracePeriodSeconds: 0 }, ctx())
    expect(done.deleted).toBe(true)
    expect((await errOf(pods().get('default', 'bound'))).code).toBe(404)
  })

  test('pods/binding sets nodeName once', async () => {
    await pods().create('default', { metadata: { name: 'p' }, spec: {} }, ctx())
    const s = await pods().createSubresource!('default', 'p', 'binding', { target: { name: 'n1' } }, ctx())
    expect(s.status).toBe('Success')
    const p = await pods().get('default', 'p')
    expect(p.spec.nodeName).toBe('n1')
    expect(p.status.conditions[0]).toMatchObject({ type: 'PodScheduled', status: 'True' })
    const again = await errOf(pods().createSubresource!('default', 'p', 'binding', { target: { name: 'n2' } }, ctx()))
    expect(again.code).toBe(409)
  })

  test('deletecollection deletes what the selector matches', async () => {
    await cms().create('default', { metadata: { name: 'a', labels: { x: '1' } } }, ctx())
    await cms().create('default', { metadata: { name: 'b' } }, ctx())
    const gone = await cms().deleteCollection('default', { labelSelector: 'x=1' }, {}, ctx())
    expect(gone.map((o) => o.metadata?.name)).toEqual(['a'])
    expect((await cms().list('default', {})).items.map((o) => o.metadata?.name)).toEqual(['b'])
  })

  test('a deleting object accepts finalizer removal but no new finalizers', async () => {
    await cms().create('default', { metadata: { name: 'a', finalizers: ['x/a'] } }, ctx())
    await cms().delete('default', 'a', {}, ctx())
    const e = await errOf(cms().patch('default', 'a', 'merge', { metadata: { finalizers: ['x/a', 'x/b'] } }, ctx()))
    expect(e.code).toBe(422)
    expect(e.message).toContain('no new finalizers can be added if the object is being deleted')
  })

  test('the system namespaces may not be deleted', async () => {
    const e = await errOf(f.storage.storeFor(defs.namespaces).delete(undefined, 'default', {}, ctx()))
    expect(e.code).toBe(403)
    expect(e.message).toBe('namespaces "default" is forbidden: this namespace may not be deleted')
  })

  test('namespace deletion waits for the finalize subresource', async () => {
    const ns = f.storage.storeFor(defs.namespaces)
    await withNamespaces(f, 'tmp')
    const created = await ns.get(undefined, 'tmp')
    expect(created.status.phase).toBe('Active')
    expect(created.spec.finalizers).toEqual(['kubernetes'])
    const d = await ns.delete(undefined, 'tmp', {}, ctx())
    expect(d.deleted).toBe(false)
    await ns.update(undefined, 'tmp', { metadata: { name: 'tmp' }, spec: { finalizers: [] } }, ctx(), 'finalize')
    expect((await errOf(ns.get(undefined, 'tmp'))).code).toBe(404)
  })
})
