import { afterEach, beforeEach, expect, test } from 'bun:test'
import type { ResourceDef } from '../registry/types.ts'
import { bootstrapCluster, ensureObjects } from './bootstrap.ts'
import { defs, type Fixture, openFixture } from './store/test-fixtures.test-helper.ts'

let f: Fixture
beforeEach(async () => {
  f = await openFixture({ serviceCidr: '10.43.0.0/16' })
})
afterEach(() => f.close())

const all = Object.values(defs) as ResourceDef[]
const registry = {
  get: (g: string, v: string, p: string) => all.find((d) => d.group === g && d.version === v && d.plural === p),
  byKind: (g: string, k: string) => all.find((d) => d.group === g && d.kind === k),
}

test('bootstrap creates the system namespaces and the kubernetes Service, and is idempotent', async () => {
  const deps = { storage: f.storage, registry }
  await bootstrapCluster(deps, { serviceCidr: '10.43.0.0/16' })
  const rev = f.backend.currentRevision()
  await bootstrapCluster(deps, { serviceCidr: '10.43.0.0/16' })
  expect(f.backend.currentRevision()).toBe(rev)
  const ns = await f.storage.storeFor(defs.namespaces).list(undefined, {})
  expect(ns.items.map((n) => `${n.metadata?.name}:${n.status?.phase}`)).toEqual([
    'default:Active',
    'kube-node-lease:Active',
    'kube-public:Active',
    'kube-system:Active',
  ])
  const k = await f.storage.storeFor(defs.services).get('default', 'kubernetes')
  expect(k.spec.clusterIP).toBe('10.43.0.1')
  expect(k.spec.ports).toEqual([{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }])
})

test('ensureObjects creates only what is missing', async () => {
  const deps = { storage: f.storage, registry }
  await bootstrapCluster(deps, { serviceCidr: '10.43.0.0/16' })
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'kube-system' },
    data: { a: '1' },
  }
  expect((await ensureObjects(deps, [cm])).created).toBe(1)
  expect((await ensureObjects(deps, [{ ...cm, data: { a: '2' } }])).created).toBe(0)
  expect((await f.storage.storeFor(defs.configmaps).get('kube-system', 'c')).data).toEqual({ a: '1' })
})
