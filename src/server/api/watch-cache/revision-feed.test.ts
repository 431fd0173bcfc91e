import { afterEach, expect, test } from 'bun:test'
import type { Backend, WatchCallbacks, WatchEvent } from '../../../datastore/backend.ts'
import { openBackend } from '../../../datastore/index.ts'
import { compileSelector } from '../selectors/index.ts'
import { RevisionFeed } from './revision-feed.ts'
import { WatchCache } from './watch-cache.ts'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
})

const decode = (kv: { value: Uint8Array; modRevision: number }) => ({
  ...JSON.parse(new TextDecoder().decode(kv.value)),
  metadata: { resourceVersion: String(kv.modRevision) },
})
const put = (b: Backend, key: string) =>
  b.txn({ compare: [], success: [{ type: 'put', key, value: new TextEncoder().encode('{}') }], failure: [] })

test('routes events by prefix and never confuses pods with podtemplates', async () => {
  const b = openBackend('memory://')
  await b.start()
  const feed = new RevisionFeed(b)
  feed.start()
  const pods = new WatchCache({ prefix: '/registry/pods/', backend: b, feed, decode })
  const templates = new WatchCache({ prefix: '/registry/podtemplates/', backend: b, feed, decode })
  cleanups.push(
    () => feed.close(),
    () => b.close(),
  )
  await Promise.all([pods.ready, templates.ready])
  await put(b, '/registry/pods/ns/a')
  await put(b, '/registry/podtemplates/ns/t')
  await put(b, '/elsewhere')
  expect(await feed.waitForCurrent(1000)).toBe(true)
  expect(pods.snapshot().length).toBe(1)
  expect(templates.snapshot().length).toBe(1)
  expect(feed.revision).toBe(b.currentRevision())
})

test('a broken datastore watch closes the watches and re-primes the caches', async () => {
  const real = openBackend('memory://')
  await real.start()
  let fail: ((e: Error) => void) | undefined
  const b: Backend = Object.assign(Object.create(real), {
    watch(req: Parameters<Backend['watch']>[0], cb: WatchCallbacks) {
      fail = cb.onError
      return real.watch(req, { onEvents: (e: WatchEvent[]) => cb.onEvents(e), onError: cb.onError })
    },
  })
  const feed = new RevisionFeed(b)
  feed.start()
  const cache = new WatchCache({ prefix: '/registry/x/', backend: b, feed, decode })
  cleanups.push(
    () => feed.close(),
    () => real.close(),
  )
  await cache.ready
  const w = cache.watch({ selector: compileSelector({}, {}), kind: 'X', apiVersion: 'v1' }, () => {})
  await put(real, '/registry/x/a')
  fail!(new Error('compacted'))
  await w.done
  await new Promise((r) => setTimeout(r, 20))
  await cache.ready
  expect(cache.snapshot().length).toBe(1)
  await put(real, '/registry/x/b')
  expect(await feed.waitForCurrent(1000)).toBe(true)
  expect(cache.snapshot().length).toBe(2)
})
