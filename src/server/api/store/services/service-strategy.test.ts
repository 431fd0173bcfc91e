import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import type { Backend } from '../../../../datastore/backend.ts'
import { openBackend } from '../../../../datastore/index.ts'
import { ctx, defs, type Fixture, openFixture, withNamespaces } from '../test-fixtures.test-helper.ts'

let backend: Backend
let f: Fixture
beforeEach(async () => {
  backend = openBackend('memory://')
  await backend.start()
  f = await openFixture({ serviceCidr: '10.96.0.0/24', nodePortRange: '30000-30009' }, backend)
  await withNamespaces(f, 'default')
})
afterEach(async () => {
  await f.close()
  await backend.close()
})

const svcs = () => f.storage.storeFor(defs.services)
const svc = (name: string, spec: Record<string, unknown> = {}) => ({
  metadata: { name },
  spec: { ports: [{ port: 80, protocol: 'TCP' }], ...spec },
})
const errOf = async (p: Promise<unknown>) => {
  try {
    await p
  } catch (e) {
    return e as { code: number; message: string }
  }
  throw new Error('expected an error')
}

describe('ClusterIP allocation', () => {
  test('allocates unique IPs in range, never the first (the kubernetes Service) unless asked', async () => {
    const ips = new Set<string>()
    for (let i = 0; i < 20; i++) ips.add((await svcs().create('default', svc(`s${i}`), ctx())).spec.clusterIP)
    expect(ips.size).toBe(20)
    for (const ip of ips) expect(ip).toMatch(/^10\.96\.0\.(\d+)$/)
    expect(ips.has('10.96.0.1')).toBe(false)
    expect(ips.has('10.96.0.0')).toBe(false)
    expect(ips.has('10.96.0.255')).toBe(false)
    const k = await svcs().create('default', svc('kubernetes', { clusterIP: '10.96.0.1' }), ctx())
    expect(k.spec.clusterIPs).toEqual(['10.96.0.1'])
  })

  test('a requested IP already held is 422 with the upstream message; out of range too', async () => {
    await svcs().create('default', svc('a', { clusterIP: '10.96.0.10' }), ctx())
    const e = await errOf(svcs().create('default', svc('b', { clusterIP: '10.96.0.10' }), ctx()))
    expect(e.code).toBe(422)
    expect(e.message).toBe(
      'Service "b" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    )
    const out = await errOf(svcs().create('default', svc('c', { clusterIP: '10.1.0.1' }), ctx()))
    expect(out.code).toBe(422)
    expect(out.message).toContain('The range of valid IPs is 10.96.0.0/24')
    expect((await errOf(svcs().get('default', 'b'))).code).toBe(404)
  })

  test('headless and ExternalName services get no IP; delete frees the IP', async () => {
    const h = await svcs().create('default', svc('h', { clusterIP: 'None' }), ctx())
    expect(h.spec.clusterIPs).toEqual(['None'])
    const x = await svcs().create(
      'default',
      { metadata: { name: 'x' }, spec: { type: 'ExternalName', externalName: 'example.com' } },
      ctx(),
    )
    expect(x.spec.clusterIP).toBeUndefined()
    await svcs().create('default', svc('a', { clusterIP: '10.96.0.10' }), ctx())
    await svcs().delete('default', 'a', {}, ctx())
    const again = await svcs().create('default', svc('b', { clusterIP: '10.96.0.10' }), ctx())
    expect(again.spec.clusterIP).toBe('10.96.0.10')
  })

  test('dryRun allocates nothing', async () => {
    await svcs().create('default', svc('a', { clusterIP: '10.96.0.10' }), ctx({ dryRun: true }))
    await svcs().create('default', svc('b', { clusterIP: '10.96.0.10' }), ctx())
  })

  test('an update that omits clusterIP keeps it', async () => {
    const a = await svcs().create('default', svc('a'), ctx())
    const u = await svcs().update('default', 'a', svc('a', { selector: { app: 'x' } }), ctx())
    expect(u.object.spec.clusterIP).toBe(a.spec.clusterIP)
  })
})

describe('NodePort allocation', () => {
  test('NodePort services get unique ports from the range; requested ones are honoured; conflicts are 422', async () => {
    const ports = new Set<number>()
    for (let i = 0; i < 5; i++) {
      const s = await svcs().create('default', svc(`n${i}`, { type: 'NodePort' }), ctx())
      ports.add(s.spec.ports[0].nodePort)
    }
    expect(ports.size).toBe(5)
    for (const p of ports) expect(p >= 30000 && p <= 30009).toBe(true)
    const free = [...Array(10).keys()].map((i) => 30000 + i).find((p) => !ports.has(p))!
    const mine = await svcs().create(
      'default',
      svc('m', { type: 'NodePort', ports: [{ port: 80, nodePort: free }] }),
      ctx(),
    )
    expect(mine.spec.ports[0].nodePort).toBe(free)
    const e = await errOf(
      svcs().create('default', svc('m2', { type: 'NodePort', ports: [{ port: 80, nodePort: free }] }), ctx()),
    )
    expect(e.code).toBe(422)
    expect(e.message).toBe(
      `Service "m2" is invalid: spec.ports[0].nodePort: Invalid value: ${free}: provided port is already allocated`,
    )
  })

  test('changing type to ClusterIP releases node ports; deleting releases them too', async () => {
    await svcs().create('default', svc('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30005 }] }), ctx())
    const u = await svcs().update('default', 'a', svc('a', { type: 'ClusterIP' }), ctx())
    expect(u.object.spec.ports[0].nodePort).toBeUndefined()
    await svcs().create('default', svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30005 }] }), ctx())
    await svcs().delete('default', 'b', {}, ctx())
    await svcs().create('default', svc('c', { type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30005 }] }), ctx())
  })

  test('allocations survive a restart of the storage layer', async () => {
    const a = await svcs().create('default', svc('a', { type: 'NodePort' }), ctx())
    await f.close()
    f = await openFixture({ serviceCidr: '10.96.0.0/24', nodePortRange: '30000-30009' }, backend)
    const e = await errOf(svcs().create('default', svc('b', { clusterIP: a.spec.clusterIP }), ctx()))
    expect(e.code).toBe(422)
    const p = await errOf(
      svcs().create(
        'default',
        svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: a.spec.ports[0].nodePort }] }),
        ctx(),
      ),
    )
    expect(p.code).toBe(422)
    await svcs().delete('default', 'a', {}, ctx())
    await svcs().create('default', svc('b', { clusterIP: a.spec.clusterIP }), ctx())
  })
})

test('LoadBalancers with externalTrafficPolicy Local get a health check node port, released with the service', async () => {
  const lb = await svcs().create(
    'default',
    svc('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 30001 }] }),
    ctx(),
  )
  const hc = lb.spec.healthCheckNodePort
  expect(hc).toBeGreaterThanOrEqual(30000)
  expect(hc).not.toBe(30001)
  const clash = await errOf(
    svcs().create('default', svc('x', { type: 'NodePort', ports: [{ port: 80, nodePort: hc }] }), ctx()),
  )
  expect(clash.code).toBe(422)
  const u = await svcs().update(
    'default',
    'lb',
    svc('lb', { type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30001 }] }),
    ctx(),
  )
  expect(u.object.spec.healthCheckNodePort).toBeUndefined()
  await svcs().create('default', svc('x', { type: 'NodePort', ports: [{ port: 80, nodePort: hc }] }), ctx())
})

test('allocations persist in a SQLite datastore across a full restart', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  const dir = mkdtempSync(join(tmpdir(), 'kubun-alloc-'))
  const url = `sqlite://${join(dir, 'state.db')}`
  const opts = { serviceCidr: '10.96.0.0/24', nodePortRange: '30000-30009' }
  try {
    let db = openBackend(url)
    await db.start()
    let fx = await openFixture(opts, db)
    await withNamespaces(fx, 'default')
    const a = await fx.storage.storeFor(defs.services).create('default', svc('a', { type: 'NodePort' }), ctx())
    await fx.close()
    await db.close()
    db = openBackend(url)
    await db.start()
    fx = await openFixture(opts, db)
    try {
      const again = svc('b', {
        clusterIP: a.spec.clusterIP,
        type: 'NodePort',
        ports: [{ port: 80, nodePort: a.spec.ports[0].nodePort }],
      })
      const e = await errOf(fx.storage.storeFor(defs.services).create('default', again, ctx()))
      expect(e.code).toBe(422)
      expect((await fx.storage.storeFor(defs.services).get('default', 'a')).spec.clusterIP).toBe(a.spec.clusterIP)
    } finally {
      await fx.close()
      await db.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('start-up repair releases allocations of services deleted behind the API and restores missing ones', async () => {
  const a = await svcs().create('default', svc('a', { type: 'NodePort' }), ctx())
  const b = await svcs().create('default', svc('b'), ctx())
  // etcdctl del of the Service, and of b's IP allocation
  await backend.txn({
    compare: [],
    success: [{ type: 'delete', key: '/registry/services/specs/default/a' }],
    failure: [],
  })
  await backend.txn({
    compare: [],
    success: [{ type: 'delete', key: `/registry/ipaddresses/${b.spec.clusterIP}` }],
    failure: [],
  })
  await f.close()
  f = await openFixture({ serviceCidr: '10.96.0.0/24', nodePortRange: '30000-30009' }, backend)
  const again = svc('c', {
    clusterIP: a.spec.clusterIP,
    type: 'NodePort',
    ports: [{ port: 80, nodePort: a.spec.ports[0].nodePort }],
  })
  await svcs().create('default', again, ctx())
  const stolen = await errOf(svcs().create('default', svc('d', { clusterIP: b.spec.clusterIP }), ctx()))
  expect(stolen.code).toBe(422)
})
