import { expect, test } from 'bun:test'
import type { KubeObject } from '../../registry/types.ts'
import { FakeClient } from './fake-client.ts'
import { Informer } from './informer.ts'
import { InformerFactory } from './informer-factory.ts'

const pods = { group: '', version: 'v1', resource: 'pods' }
const pod = (name: string, extra: KubeObject = {}) => ({ metadata: { name, namespace: 'ns' }, ...extra })

async function until(cond: () => boolean) {
  for (let i = 0; i < 500 && !cond(); i++) await Bun.sleep(2)
  expect(cond()).toBe(true)
}

test('lists, then follows adds, updates and deletes into the cache and handlers', async () => {
  const c = new FakeClient()
  await c.create({ ...pods, namespace: 'ns' }, pod('a'))
  const inf = new Informer(c, pods)
  const seen: string[] = []
  inf.addHandler({
    add: (o) => seen.push(`add ${o.metadata?.name}`),
    update: (_, o) => seen.push(`update ${o.metadata?.name}`),
    delete: (o) => seen.push(`delete ${o.metadata?.name}`),
  })
  inf.start()
  await inf.hasSynced
  expect(inf.get('ns/a')?.metadata?.name).toBe('a')
  await c.create({ ...pods, namespace: 'ns' }, pod('b'))
  await c.patch({ ...pods, namespace: 'ns' }, 'a', 'merge', { spec: { x: 1 } })
  await c.delete({ ...pods, namespace: 'ns' }, 'b')
  await until(() => seen.length === 4)
  expect(seen).toEqual(['add a', 'add b', 'update a', 'delete b'])
  expect(inf.list('ns').map((o) => o.metadata?.name)).toEqual(['a'])
  inf.stop()
})

test('re-lists after a 410 and reports objects deleted meanwhile as deletions', async () => {
  const c = new FakeClient()
  await c.create({ ...pods, namespace: 'ns' }, pod('a'))
  await c.create({ ...pods, namespace: 'ns' }, pod('b'))
  const inf = new Informer(c, pods)
  const deleted: string[] = []
  inf.addHandler({ delete: (o) => deleted.push(o.metadata!.name!) })
  inf.start()
  await inf.hasSynced
  // the watch breaks with ERROR; while it is down, b goes away and the history is lost (410)
  c.expireNextWatch = true
  c.breakWatches()
  c.objects.get('/pods')!.delete('ns/b')
  c.history.length = 0
  await until(() => deleted.length === 1)
  expect(deleted).toEqual(['b'])
  expect(c.lists).toBeGreaterThanOrEqual(2)
  inf.stop()
})

test('indexes by owner uid follow updates; factory shares one informer per resource', async () => {
  const c = new FakeClient()
  const f = new InformerFactory(c)
  const inf = f.informerFor(pods)
  expect(f.informerFor(pods)).toBe(inf)
  f.start()
  await f.waitForSync()
  await c.create(
    { ...pods, namespace: 'ns' },
    pod('a', { metadata: { name: 'a', namespace: 'ns', ownerReferences: [{ uid: 'u1' } as any] } }),
  )
  await until(() => inf.byIndex('owner', 'u1').length === 1)
  await c.patch({ ...pods, namespace: 'ns' }, 'a', 'merge', { metadata: { ownerReferences: [{ uid: 'u2' }] } })
  await until(() => inf.byIndex('owner', 'u2').length === 1)
  expect(inf.byIndex('owner', 'u1')).toEqual([])
  f.stop()
})

test('resync replays cached objects to update handlers', async () => {
  const c = new FakeClient()
  await c.create({ ...pods, namespace: 'ns' }, pod('a'))
  const inf = new Informer(c, pods, { resyncMs: 5 })
  let updates = 0
  inf.addHandler({ update: () => updates++ })
  inf.start()
  await until(() => updates >= 2)
  inf.stop()
})
