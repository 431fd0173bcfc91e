import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import type { WatchEvent } from '../../client/types.ts'
import { ctx, defs, type Fixture, openFixture, withNamespaces } from './test-fixtures.test-helper.ts'

let f: Fixture
beforeEach(async () => {
  f = await openFixture()
  await withNamespaces(f, 'default', 'other')
})
afterEach(() => f.close())

const cms = () => f.storage.storeFor(defs.configmaps)
const mk = (ns: string, name: string, labels?: Record<string, string>) =>
  cms().create(ns, { metadata: { name, labels } }, ctx())
const names = (items: { metadata?: { name?: string } }[]) => items.map((o) => o.metadata!.name)
const errOf = async (p: Promise<unknown>) => {
  try {
    await p
  } catch (e) {
    return e as { code: number; reason: string; message: string }
  }
  throw new Error('expected an error')
}

/** collects events until `n` arrived */
function collect(n: number) {
  const events: WatchEvent[] = []
  let resolve!: () => void
  const enough = new Promise<void>((r) => (resolve = r))
  return {
    events,
    enough,
    onEvent: (e: WatchEvent) => {
      events.push(e)
      if (events.length >= n) resolve()
    },
  }
}

describe('list', () => {
  test('consistent list sees a write made just before; list RV is the store revision', async () => {
    await mk('default', 'a')
    const b = await mk('other', 'b')
    const all = await cms().list(undefined, {})
    expect(names(all.items)).toEqual(['a', 'b'])
    expect(all.resourceVersion).toBe(b.metadata!.resourceVersion!)
    expect(names((await cms().list('other', {})).items)).toEqual(['b'])
    const cached = await cms().list(undefined, { resourceVersion: '0' })
    expect(names(cached.items).sort()).toEqual(['a', 'b'])
  })

  test('label selectors: =, ==, !=, in, notin, exists, !exists', async () => {
    await mk('default', 'a', { app: 'web', tier: 'fe' })
    await mk('default', 'b', { app: 'db' })
    await mk('default', 'c')
    const q = async (labelSelector: string) => names((await cms().list('default', { labelSelector })).items)
    expect(await q('app=web')).toEqual(['a'])
    expect(await q('app==db')).toEqual(['b'])
    expect(await q('app!=web')).toEqual(['b', 'c'])
    expect(await q('app in (web,db)')).toEqual(['a', 'b'])
    expect(await q('app notin (web)')).toEqual(['b', 'c'])
    expect(await q('tier')).toEqual(['a'])
    expect(await q('!tier')).toEqual(['b', 'c'])
    expect(await q('app,!tier')).toEqual(['b'])
    expect((await errOf(q('app in (a'))).code).toBe(400)
  })

  test('field selectors: metadata.name, metadata.namespace and kind-specific ones; unknown is 400', async () => {
    await mk('default', 'a')
    await mk('other', 'a')
    await mk('other', 'b')
    const q = (fieldSelector: string) => cms().list(undefined, { fieldSelector })
    expect((await q('metadata.name=a')).items.map((o) => o.metadata!.namespace)).toEqual(['default', 'other'])
    expect(names((await q('metadata.namespace!=default')).items)).toEqual(['a', 'b'])
    expect(names((await q('metadata.namespace==other,metadata.name!=a')).items)).toEqual(['b'])
    const e = await errOf(q('spec.foo=1'))
    expect(e.code).toBe(400)
    expect(e.message).toBe('field label not supported: spec.foo')
    const pods = f.storage.storeFor(defs.pods)
    await pods.create('default', { metadata: { name: 'p1' }, spec: { nodeName: 'n1' } }, ctx())
    await pods.create('default', { metadata: { name: 'p2' }, spec: {} }, ctx())
    expect(names((await pods.list(undefined, { fieldSelector: 'spec.nodeName=n1' })).items)).toEqual(['p1'])
    expect(names((await pods.list(undefined, { fieldSelector: 'spec.nodeName=' })).items)).toEqual(['p2'])
    expect(names((await pods.list(undefined, { fieldSelector: 'status.phase=Pending' })).items)).toEqual(['p1', 'p2'])
  })

  test('limit/continue pages one snapshot even while objects change', async () => {
    for (let i = 0; i < 7; i++) await mk('default', `o${i}`)
    const p1 = await cms().list('default', { limit: 3 })
    expect(names(p1.items)).toEqual(['o0', 'o1', 'o2'])
    expect(p1.continue).toBeTruthy()
    expect(p1.remainingItemCount).toBe(4)
    // writes between pages are not seen by later pages
    await cms().delete('default', 'o4', {}, ctx())
    await mk('default', 'o9')
    const p2 = await cms().list('default', { limit: 3, continue: p1.continue })
    expect(names(p2.items)).toEqual(['o3', 'o4', 'o5'])
    expect(p2.resourceVersion).toBe(p1.resourceVersion)
    const p3 = await cms().list('default', { limit: 3, continue: p2.continue })
    expect(names(p3.items)).toEqual(['o6'])
    expect(p3.continue).toBeUndefined()
  })

  test('a continue token whose revision was compacted is 410 Expired', async () => {
    for (let i = 0; i < 4; i++) await mk('default', `o${i}`)
    const p1 = await cms().list('default', { limit: 2 })
    await cms().patch('default', 'o3', 'merge', { data: { x: 'y' } }, ctx())
    await f.backend.compact(f.backend.currentRevision())
    const e = await errOf(cms().list('default', { limit: 2, continue: p1.continue }))
    expect(e.code).toBe(410)
    expect(e.reason).toBe('Expired')
    expect((await errOf(cms().list('default', { continue: 'garbage' }))).code).toBe(400)
  })
})

describe('watch', () => {
  test('from a list resourceVersion: no gap, no duplicate', async () => {
    await mk('default', 'a')
    const list = await cms().list('default', {})
    await mk('default', 'b') // after the list, before the watch starts
    const c = collect(3)
    const w = cms().watch('default', { resourceVersion: list.resourceVersion }, c.onEvent)
    await cms().patch('default', 'a', 'merge', { data: { k: 'v' } }, ctx())
    await cms().delete('default', 'b', {}, ctx())
    await c.enough
    w.stop()
    await w.done
    expect(c.events.map((e) => `${e.type} ${e.object.metadata!.name}`)).toEqual(['ADDED b', 'MODIFIED a', 'DELETED b'])
    // a DELETED event carries the delete's revision
    const del = c.events[2].object.metadata!.resourceVersion!
    expect(Number(del)).toBeGreaterThan(Number(c.events[1].object.metadata!.resourceVersion))
  })

  test('without a resourceVersion: synthetic ADDED for current objects first', async () => {
    await mk('default', 'a')
    await mk('other', 'z')
    const c = collect(2)
    const w = cms().watch('default', {}, c.onEvent)
    await mk('default', 'b')
    await c.enough
    w.stop()
    expect(c.events.map((e) => `${e.type} ${e.object.metadata!.name}`)).toEqual(['ADDED a', 'ADDED b'])
  })

  test('selectors: leaving delivers DELETED, entering delivers ADDED', async () => {
    const list = await cms().list('default', {})
    const c = collect(4)
    const w = cms().watch('default', { labelSelector: 'app=web', resourceVersion: list.resourceVersion }, c.onEvent)
    await mk('default', 'a', { app: 'web' })
    await mk('default', 'b', { app: 'db' })
    await cms().patch('default', 'a', 'merge', { metadata: { labels: { app: 'db' } } }, ctx())
    await cms().patch('default', 'b', 'merge', { metadata: { labels: { app: 'web' } } }, ctx())
    await cms().patch('default', 'b', 'merge', { data: { x: '1' } }, ctx())
    await c.enough
    w.stop()
    expect(c.events.map((e) => `${e.type} ${e.object.metadata!.name}`)).toEqual([
      'ADDED a',
      'DELETED a',
      'ADDED b',
      'MODIFIED b',
    ])
  })

  test('a resourceVersion older than the window is 410 Expired', async () => {
    const small = await openFixture({ watchCacheCapacity: 3 })
    try {
      await withNamespaces(small, 'default')
      const s = small.storage.storeFor(defs.configmaps)
      const first = await s.create('default', { metadata: { name: 'a' } }, ctx())
      for (let i = 0; i < 5; i++) await s.patch('default', 'a', 'merge', { data: { i: String(i) } }, ctx())
      await small.storage.storeFor(defs.configmaps).list(undefined, {})
      let thrown: { code: number } | undefined
      try {
        s.watch('default', { resourceVersion: first.metadata!.resourceVersion }, () => {})
      } catch (e) {
        thrown = e as { code: number }
      }
      expect(thrown?.code).toBe(410)
    } finally {
      await small.close()
    }
  })

  test('timeoutSeconds ends the watch; json() is the shared stream line', async () => {
    const c = collect(1)
    const w = cms().watch('default', { timeoutSeconds: 0.05 } as never, c.onEvent)
    await mk('default', 'a')
    await c.enough
    await w.done
    const line = (c.events[0] as WatchEvent & { json(): string }).json()
    expect(JSON.parse(line)).toEqual({ type: 'ADDED', object: c.events[0].object })
  })

  test('bookmarks carry the current resourceVersion when allowed', async () => {
    const small = await openFixture({ bookmarkIntervalMs: 10 })
    try {
      await withNamespaces(small, 'default')
      const c = collect(1)
      const w = small.storage
        .storeFor(defs.configmaps)
        .watch('default', { allowBookmarks: true, resourceVersion: '1' }, c.onEvent)
      await c.enough
      w.stop()
      expect(c.events[0].type).toBe('BOOKMARK')
      expect(c.events[0].object).toEqual({
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(small.storage.revision()) },
      })
    } finally {
      await small.close()
    }
  })

  test('a consumer that stops draining is cut off without blocking other watchers', async () => {
    const stuck = cms().watch('default', {}, () => new Promise<void>(() => {}))
    const c = collect(1200)
    const healthy = cms().watch('default', {}, c.onEvent)
    for (let i = 0; i < 1200; i++) await mk('default', `o${i}`)
    await c.enough
    await stuck.done
    healthy.stop()
    expect(c.events).toHaveLength(1200)
  })
})

describe('custom resources added at run time', () => {
  test('a store for a def the registry did not have at start primes its cache on first use', async () => {
    const gadgets = {
      group: 'late.example.com',
      version: 'v1',
      kind: 'Gadget',
      plural: 'gadgets',
      singular: 'gadget',
      namespaced: true,
    }
    const s = f.storage.storeFor(gadgets)
    expect(f.storage.storeFor(gadgets)).toBe(s)
    const c = collect(2)
    const w = s.watch('default', {}, c.onEvent)
    await s.create('default', { metadata: { name: 'g1' } }, ctx())
    await s.create('default', { metadata: { name: 'g2' } }, ctx())
    await c.enough
    w.stop()
    expect(names(c.events.map((e) => e.object))).toEqual(['g1', 'g2'])
    expect(names((await s.list(undefined, {})).items)).toEqual(['g1', 'g2'])
    expect((await f.backend.range({ key: '/registry/late.example.com/gadgets/default/g1' })).kvs).toHaveLength(1)
  })
})

test('versions sharing storage serve objects with the apiVersion asked for', async () => {
  const v1 = {
    group: 'multi.example.com',
    version: 'v1',
    kind: 'Thing',
    plural: 'things',
    singular: 'thing',
    namespaced: true,
  }
  const v2 = { ...v1, version: 'v2' }
  await f.storage.storeFor(v1).create('default', { metadata: { name: 't' } }, ctx())
  expect((await f.storage.storeFor(v2).get('default', 't')).apiVersion).toBe('multi.example.com/v2')
  expect((await f.storage.storeFor(v2).list('default', {})).items[0].apiVersion).toBe('multi.example.com/v2')
  expect((await f.storage.storeFor(v1).list('default', {})).items[0].apiVersion).toBe('multi.example.com/v1')
})

test('list + watch under concurrent writes reconstructs exactly the final state', async () => {
  const writes = (async () => {
    for (let i = 0; i < 60; i++) {
      await mk('default', `c${i}`)
      if (i % 3 === 0) await cms().patch('default', `c${i}`, 'merge', { data: { v: String(i) } }, ctx())
      if (i % 5 === 0) await cms().delete('default', `c${i}`, {}, ctx())
    }
  })()
  await new Promise((r) => setTimeout(r, 1))
  const list = await cms().list('default', {})
  const state = new Map(list.items.map((o) => [o.metadata!.name!, o.metadata!.resourceVersion!]))
  let lastRv = Number(list.resourceVersion)
  let ordered = true
  const w = cms().watch('default', { resourceVersion: list.resourceVersion }, (e) => {
    const rv = Number(e.object.metadata!.resourceVersion)
    if (rv <= lastRv) ordered = false
    lastRv = rv
    if (e.type === 'DELETED') state.delete(e.object.metadata!.name!)
    else state.set(e.object.metadata!.name!, e.object.metadata!.resourceVersion!)
  })
  await writes
  expect(await f.storage.storeFor(defs.configmaps).list('default', {})).toBeDefined()
  w.stop()
  const final = await cms().list('default', {})
  expect(ordered).toBe(true)
  expect(new Map(final.items.map((o) => [o.metadata!.name!, o.metadata!.resourceVersion!]))).toEqual(state)
})

test('events arrive after watch() returns, so a callback may stop its own handle', async () => {
  await mk('default', 'a')
  await mk('default', 'b')
  const seen: string[] = []
  let returned = false
  const w = cms().watch('default', {}, (e) => {
    seen.push(`${returned}:${e.object.metadata!.name}`)
    w.stop()
  })
  returned = true
  await w.done
  expect(seen).toEqual(['true:a'])
})
