import { afterEach, expect, test } from 'bun:test'
import { FakeClient } from '../../server/controllers/lib/fake-client.ts'
import { WatchedObjects } from './watched-objects.ts'

const CMS = { group: '', version: 'v1', resource: 'configmaps', namespace: 'ns' }
let w: WatchedObjects | undefined
afterEach(() => w?.stop())

test('objects are read once, then follow their watch; missing ones are undefined', async () => {
  const c = new FakeClient()
  await c.create(CMS, { metadata: { name: 'cm' }, data: { a: '1' } })
  w = new WatchedObjects(c)
  expect((await w.get<{ data: Record<string, string> }>('configmaps', 'ns', 'cm'))?.data).toEqual({ a: '1' })
  const reads = w.gets
  for (let i = 0; i < 5; i++) await w.get('configmaps', 'ns', 'cm')
  expect(w.gets).toBe(reads)
  const cur = await c.get<{ metadata: object }>(CMS, 'cm')
  await c.update(CMS, { ...cur, data: { a: '2' } })
  const end = Date.now() + 2000
  while ((await w.get<{ data: Record<string, string> }>('configmaps', 'ns', 'cm'))?.data.a !== '2') {
    if (Date.now() > end) throw new Error('the update did not arrive')
    await Bun.sleep(10)
  }
  expect(await w.get('configmaps', 'ns', 'nope')).toBeUndefined()
  expect(await w.get('secrets', 'ns', 'cm')).toBeUndefined()
})

test('a watch nobody reads is stopped', async () => {
  const c = new FakeClient()
  w = new WatchedObjects(c, 30)
  await w.get('configmaps', 'ns', 'cm')
  expect(w.size).toBe(1)
  await Bun.sleep(100)
  expect(w.size).toBe(0)
})
