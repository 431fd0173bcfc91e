import { afterEach, beforeEach, expect, test } from 'bun:test'
import { defs, type Fixture, openFixture, withNamespaces } from '../api/store/test-fixtures.test-helper.ts'
import type { ResourceDef } from '../registry/types.ts'
import { inProcessClient } from './in-process.ts'
import type { WatchEvent } from './types.ts'

let f: Fixture
beforeEach(async () => {
  f = await openFixture()
  await withNamespaces(f, 'default')
})
afterEach(() => f.close())

const all = Object.values(defs) as ResourceDef[]
const registry = {
  get: (g: string, v: string, p: string) => all.find((d) => d.group === g && d.version === v && d.plural === p),
}
const cm = { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' }

test('create/get/update/patch/delete with the same errors as the HTTP API', async () => {
  const c = inProcessClient({ storage: f.storage, registry })
  const a = await c.create<any>(cm, { metadata: { name: 'a' }, data: { k: '1' } })
  const got = await c.get<any>(cm, 'a')
  got.data.k = 'mutated locally'
  expect((await c.get<any>(cm, 'a')).data.k).toBe('1')
  await c.update(cm, { ...a, data: { k: '2' } })
  await expect(c.update(cm, { ...a, data: { k: '3' } })).rejects.toMatchObject({ code: 409, reason: 'Conflict' })
  const p = await c.patch<any>(cm, 'a', 'merge', { data: { k: '4' } })
  expect(p.data.k).toBe('4')
  await c.delete(cm, 'a')
  await expect(c.get(cm, 'a')).rejects.toMatchObject({ code: 404 })
  await expect(c.get({ ...cm, resource: 'nope' }, 'a')).rejects.toMatchObject({ code: 404 })
})

test('list then watch from the list resourceVersion; events are copies', async () => {
  const c = inProcessClient({ storage: f.storage, registry })
  await c.create(cm, { metadata: { name: 'a' } })
  const l = await c.list(cm)
  expect(l.items).toHaveLength(1)
  const seen: WatchEvent[] = []
  let done!: () => void
  const got = new Promise<void>((r) => (done = r))
  const w = c.watch(cm, { resourceVersion: l.resourceVersion }, (e) => {
    seen.push(e)
    ;(e.object as any).metadata.name = 'scribbled'
    done()
  })
  await c.create(cm, { metadata: { name: 'b' } })
  await got
  w.stop()
  expect(seen[0].type).toBe('ADDED')
  expect((await c.list<any>(cm)).items.map((o) => o.metadata.name)).toEqual(['a', 'b'])
})

test('pods/binding through createSubresource', async () => {
  const c = inProcessClient({ storage: f.storage, registry })
  const pods = { group: '', version: 'v1', resource: 'pods', namespace: 'default' }
  await c.create(pods, { metadata: { name: 'p' }, spec: {} })
  await c.createSubresource(pods, 'p', 'binding', { target: { kind: 'Node', name: 'n1' } })
  expect((await c.get<any>(pods, 'p')).spec.nodeName).toBe('n1')
})
