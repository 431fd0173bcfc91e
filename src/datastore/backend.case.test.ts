// The behaviour suite every driver must pass (as kine's TestCreateAfterDelete, TestWatchCompacted…).
// `backendSuite(name, open)` is exported for future drivers; below it runs against memory and SQLite.
import { afterAll, afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { collect, del, put, sleep } from './backend.test-helper.ts'
import type { Backend } from './backend.ts'
import {
  CompactedError,
  DuplicateKeyError,
  FutureRevError,
  KeyExistsError,
  LeaseNotFoundError,
  RevisionMismatchError,
} from './errors.ts'
import { openBackend } from './index.ts'
import type { MvccOptions } from './mvcc/mvcc-store.ts'
import { create, decode, encode, get, list, prefixEnd, remove, update } from './ops.ts'

export { collect }

type Open = (opts?: MvccOptions) => Backend

export function backendSuite(name: string, open: Open): void {
  describe(`backend ${name}`, () => {
    const stores: Backend[] = []
    const fresh = async (opts?: MvccOptions) => {
      const s = open(opts)
      stores.push(s)
      await s.start()
      return s
    }
    afterEach(async () => {
      for (const s of stores.splice(0)) await s.close()
    })

    test('an empty store is at revision 1 and every write adds one', async () => {
      const s = await fresh()
      expect(s.currentRevision()).toBe(1)
      expect(await create(s, '/a', encode('1'))).toBe(2)
      expect(await create(s, '/b', encode('1'))).toBe(3)
      expect(s.currentRevision()).toBe(3)
      const kv = await get(s, '/a')
      expect(kv).toMatchObject({ key: '/a', createRevision: 2, modRevision: 2, version: 1, lease: 0 })
      expect(decode(kv!.value)).toBe('1')
    })

    test('create fails when the key exists, succeeds again after delete (TestCreateAfterDelete)', async () => {
      const s = await fresh()
      await create(s, '/a', encode('1'))
      await expect(create(s, '/a', encode('2'))).rejects.toBeInstanceOf(KeyExistsError)
      const { prev, revision } = await remove(s, '/a')
      expect(decode(prev.value)).toBe('1')
      expect(revision).toBe(3)
      expect(await get(s, '/a')).toBeUndefined()
      expect(await create(s, '/a', encode('3'))).toBe(4)
      expect(await get(s, '/a')).toMatchObject({ createRevision: 4, version: 1 })
    })

    test('update and delete compare the mod revision and report the current value', async () => {
      const s = await fresh()
      const r1 = await create(s, '/a', encode('1'))
      const r2 = await update(s, '/a', encode('2'), r1)
      expect(await get(s, '/a')).toMatchObject({ createRevision: r1, modRevision: r2, version: 2 })
      const err = await update(s, '/a', encode('3'), r1).catch((e) => e)
      expect(err).toBeInstanceOf(RevisionMismatchError)
      expect(decode(err.current.value)).toBe('2')
      await expect(remove(s, '/a', r1)).rejects.toBeInstanceOf(RevisionMismatchError)
      await expect(update(s, '/missing', encode('x'), 5)).rejects.toBeInstanceOf(RevisionMismatchError)
      expect((await remove(s, '/a', r2)).revision).toBe(r2 + 1)
      expect(s.currentRevision()).toBe(r2 + 1)
    })

    test('range: prefix, limit, count, more, keys only, count only, past revision', async () => {
      const s = await fresh()
      for (const k of ['/r/b', '/r/a', '/r/c', '/rz', '/q']) await put(s, k, `v${k}`)
      const all = await list(s, '/r/')
      expect(all.kvs.map((k) => k.key)).toEqual(['/r/a', '/r/b', '/r/c'])
      expect(all).toMatchObject({ count: 3, more: false, revision: 6 })
      const lim = await list(s, '/r/', { limit: 2 })
      expect(lim.kvs.map((k) => k.key)).toEqual(['/r/a', '/r/b'])
      expect(lim).toMatchObject({ count: 3, more: true })
      const next = await list(s, '/r/', { startKey: '/r/b\0', limit: 2 })
      expect(next.kvs.map((k) => k.key)).toEqual(['/r/c'])
      const keys = await s.range({ key: '/r/', rangeEnd: prefixEnd('/r/'), keysOnly: true })
      expect(keys.kvs.every((k) => k.value.length === 0)).toBe(true)
      const cnt = await s.range({ key: '/r/', rangeEnd: prefixEnd('/r/'), countOnly: true })
      expect(cnt).toMatchObject({ kvs: [], count: 3 })
      const from = await s.range({ key: '/r/b', rangeEnd: '\0' })
      expect(from.kvs.map((k) => k.key)).toEqual(['/r/b', '/r/c', '/rz'])
      const everything = await s.range({ key: '\0', rangeEnd: '\0' })
      expect(everything.count).toBe(5)
      await put(s, '/r/a', 'new')
      await del(s, '/r/b')
      const past = await list(s, '/r/', { revision: 3 })
      expect(past.kvs.map((k) => [k.key, decode(k.value)])).toEqual([
        ['/r/a', 'v/r/a'],
        ['/r/b', 'v/r/b'],
      ])
      expect(past.revision).toBe(8)
      const now = await list(s, '/r/')
      expect(now.kvs.map((k) => [k.key, decode(k.value)])).toEqual([
        ['/r/a', 'new'],
        ['/r/c', 'v/r/c'],
      ])
      await expect(s.range({ key: '/r/a', revision: 99 })).rejects.toBeInstanceOf(FutureRevError)
    })

    test('keys are bytes: 0x00-0xff keys keep byte order and round-trip', async () => {
      const s = await fresh()
      const keys = ['\xff\x00', '\x00\x01', '\x7f', '\x80', '\xfe\xff\xff'].map((k) => `b/${k}`)
      for (const k of keys) await put(s, k, 'x')
      const r = await s.range({ key: 'b/', rangeEnd: prefixEnd('b/') })
      expect(r.kvs.map((k) => k.key)).toEqual([...keys].sort())
      const big = `p/${String.fromCharCode(...Array.from({ length: 254 }, (_, i) => (i * 37) & 0xff))}`
      await put(s, big, 'y')
      expect((await get(s, big))?.key).toBe(big)
      expect(prefixEnd('a\xff\xff')).toBe('b')
      await expect(put(s, '/caf\u00e9\u20ac', 'x')).rejects.toThrow('not a binary string')
      await put(s, '\xff\xff', 'top')
      // prefixEnd of all-0xff is "\0": every key from there on
      expect((await s.range({ key: '\xff', rangeEnd: prefixEnd('\xff\xff') })).kvs.map((k) => k.key)).toEqual([
        '\xff\xff',
      ])
    })

    test('txn compares on value, version, create, mod and lease, over a key and a range', async () => {
      const s = await fresh()
      const lease = await s.leaseGrant(60)
      await put(s, '/t/a', 'one', lease.id)
      await put(s, '/t/b', 'two')
      const ok = async (compare: Parameters<Backend['txn']>[0]['compare']) =>
        (await s.txn({ compare, success: [], failure: [] })).succeeded
      expect(await ok([{ key: '/t/a', target: 'value', result: 'equal', value: encode('one') }])).toBe(true)
      expect(await ok([{ key: '/t/a', target: 'value', result: 'greater', value: encode('onc') }])).toBe(true)
      expect(await ok([{ key: '/t/a', target: 'value', result: 'less', value: encode('one!') }])).toBe(true)
      expect(await ok([{ key: '/t/x', target: 'value', result: 'not_equal', value: encode('') }])).toBe(false)
      expect(await ok([{ key: '/t/a', target: 'version', result: 'equal', value: 1 }])).toBe(true)
      expect(await ok([{ key: '/t/x', target: 'version', result: 'equal', value: 0 }])).toBe(true)
      // a lease grant takes no revision: /t/a was written at 2, /t/b at 3
      expect(await ok([{ key: '/t/a', target: 'create', result: 'equal', value: 3 }])).toBe(false)
      expect(await ok([{ key: '/t/a', target: 'create', result: 'equal', value: 2 }])).toBe(true)
      expect(await ok([{ key: '/t/b', target: 'mod', result: 'greater', value: 2 }])).toBe(true)
      expect(await ok([{ key: '/t/b', target: 'mod', result: 'greater', value: 3 }])).toBe(false)
      expect(await ok([{ key: '/t/a', target: 'lease', result: 'equal', value: lease.id }])).toBe(true)
      expect(await ok([{ key: '/t/b', target: 'lease', result: 'equal', value: 0 }])).toBe(true)
      const range = { key: '/t/', rangeEnd: prefixEnd('/t/') }
      expect(await ok([{ ...range, target: 'mod', result: 'greater', value: 1 }])).toBe(true)
      expect(await ok([{ ...range, target: 'mod', result: 'greater', value: 2 }])).toBe(false)
      expect(await ok([{ ...range, target: 'version', result: 'equal', value: 1 }])).toBe(true)
      expect(
        await ok([
          { key: '/t/a', target: 'version', result: 'equal', value: 1 },
          { key: '/t/b', target: 'version', result: 'equal', value: 9 },
        ]),
      ).toBe(false)
    })

    test('txn: all writes share one revision, reads see earlier writes, nested txns, duplicates refused', async () => {
      const s = await fresh()
      await put(s, '/n/x', 'x')
      const r = await s.txn({
        compare: [{ key: '/n/x', target: 'version', result: 'equal', value: 1 }],
        success: [
          { type: 'put', key: '/n/a', value: encode('a') },
          { type: 'range', range: { key: '/n/a' } },
          {
            type: 'txn',
            txn: {
              compare: [{ key: '/n/a', target: 'version', result: 'equal', value: 0 }],
              success: [{ type: 'put', key: '/n/b', value: encode('b') }],
              failure: [{ type: 'put', key: '/n/c', value: encode('c') }],
            },
          },
          { type: 'delete', key: '/n/x', prevKv: true },
        ],
        failure: [],
      })
      expect(r.succeeded).toBe(true)
      expect(r.revision).toBe(3)
      const inner = r.results[1]
      expect(inner.type === 'range' && inner.range.kvs.map((k) => k.modRevision)).toEqual([3])
      const nested = r.results[2]
      // nested compares see the state before the txn (etcd's compareToPath): /n/a did not exist
      expect(nested.type === 'txn' && nested.txn.succeeded).toBe(true)
      const d = r.results[3]
      expect(d.type === 'delete' && d.deleted).toBe(1)
      expect(d.type === 'delete' && decode(d.prevKvs[0].value)).toBe('x')
      const after = await s.range({ key: '/n/', rangeEnd: prefixEnd('/n/') })
      expect(after.kvs.map((k) => [k.key, k.modRevision])).toEqual([
        ['/n/a', 3],
        ['/n/b', 3],
      ])
      const dup = s.txn({
        compare: [],
        success: [
          { type: 'put', key: '/n/a', value: encode('1') },
          { type: 'put', key: '/n/a', value: encode('2') },
        ],
        failure: [],
      })
      await expect(dup).rejects.toBeInstanceOf(DuplicateKeyError)
      expect(s.currentRevision()).toBe(3)
      expect(decode((await get(s, '/n/a'))!.value)).toBe('a')
      const none = await s.txn({ compare: [], success: [{ type: 'delete', key: '/none' }], failure: [] })
      expect(none.revision).toBe(3)
    })

    test('concurrent txns commit together without gaps; a failing one leaves no trace', async () => {
      const s = await fresh()
      const w = collect(s, { key: '/g/', rangeEnd: prefixEnd('/g/') })
      const dup = {
        compare: [],
        success: [
          { type: 'put' as const, key: '/g/dup', value: encode('1') },
          { type: 'put' as const, key: '/g/dup', value: encode('2') },
        ],
        failure: [],
      }
      const results = await Promise.allSettled([
        put(s, '/g/a', 'a'),
        s.txn(dup),
        put(s, '/g/b', 'b'),
        s.txn({ compare: [], success: [{ type: 'put', key: '/g/c', value: encode('c'), lease: 999 }], failure: [] }),
        put(s, '/g/d', 'd'),
      ])
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled'])
      expect(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.revision] : []))).toEqual([2, 3, 4])
      const evs = await w.until(3)
      expect(evs.map((e) => [e.kv.key, e.kv.modRevision])).toEqual([
        ['/g/a', 2],
        ['/g/b', 3],
        ['/g/d', 4],
      ])
      expect(await get(s, '/g/dup')).toBeUndefined()
      expect((await put(s, '/g/e', 'e')).revision).toBe(5)
      w.cancel()
    })

    test('a big delete is one revision; reads meanwhile see the state before it', async () => {
      const s = await fresh()
      const n = 12_000
      await Promise.all(Array.from({ length: n }, (_, i) => put(s, `/big/${String(i).padStart(5, '0')}`, 'v')))
      const before = s.currentRevision()
      const w = collect(s, { key: '/big/', rangeEnd: prefixEnd('/big/') })
      const deleting = del(s, '/big/', prefixEnd('/big/'))
      const after = put(s, '/other', 'x')
      // while the delete is being written (SQLite writes it in chunks) readers see all or nothing
      let done = false
      deleting.finally(() => {
        done = true
      })
      const seen = new Set<string>()
      while (!done) {
        const r = await s.range({ key: '/big/', rangeEnd: prefixEnd('/big/'), countOnly: true })
        seen.add(`${r.count}@${r.revision >= before + 1 ? 'after' : 'before'}`)
        await sleep(0)
      }
      expect([...seen].every((x) => x === `${n}@before` || x === '0@after')).toBe(true)
      const d = await deleting
      expect(d.revision).toBe(before + 1)
      expect((await after).revision).toBe(before + 2)
      await w.until(n)
      expect(w.batches.length).toBe(1)
      expect(w.batches[0].every((r) => r === before + 1)).toBe(true)
      expect((await list(s, '/big/')).count).toBe(0)
      w.cancel()
    })

    test('put with ignoreValue/ignoreLease keeps them; prevKv returned', async () => {
      const s = await fresh()
      const l = await s.leaseGrant(60)
      await put(s, '/i', 'keep', l.id)
      const r = await s.txn({
        compare: [],
        success: [
          { type: 'put', key: '/i', value: new Uint8Array(), ignoreValue: true, ignoreLease: true, prevKv: true },
        ],
        failure: [],
      })
      const res = r.results[0]
      expect(res.type === 'put' && decode(res.prevKv!.value)).toBe('keep')
      expect(await get(s, '/i')).toMatchObject({ version: 2, lease: l.id })
      expect(decode((await get(s, '/i'))!.value)).toBe('keep')
      await expect(put(s, '/i', 'x', 12345)).rejects.toBeInstanceOf(LeaseNotFoundError)
    })

    test('watch delivers every later event in order, grouped per revision, with prevKv', async () => {
      const s = await fresh()
      await put(s, '/w/a', '0')
      const w = collect(s, { key: '/w/', rangeEnd: prefixEnd('/w/'), prevKv: true })
      const other = collect(s, { key: '/w/a' })
      await put(s, '/w/a', '1')
      await put(s, '/x', 'ignored')
      await s.txn({
        compare: [],
        success: [
          { type: 'put', key: '/w/b', value: encode('b') },
          { type: 'put', key: '/w/c', value: encode('c') },
        ],
        failure: [],
      })
      await del(s, '/w/', prefixEnd('/w/'))
      const evs = await w.until(6)
      expect(evs.map((e) => [e.type, e.kv.key, e.kv.modRevision])).toEqual([
        ['put', '/w/a', 3],
        ['put', '/w/b', 5],
        ['put', '/w/c', 5],
        ['delete', '/w/a', 6],
        ['delete', '/w/b', 6],
        ['delete', '/w/c', 6],
      ])
      expect(w.batches).toEqual([[3], [5, 5], [6, 6, 6]])
      expect(decode(evs[0].prevKv!.value)).toBe('0')
      expect(evs[1].prevKv).toBeUndefined()
      expect(decode(evs[3].prevKv!.value)).toBe('1')
      expect(evs[3].kv.value.length).toBe(0)
      expect((await other.until(2)).map((e) => e.prevKv)).toEqual([undefined, undefined])
      w.cancel()
      other.cancel()
    })

    test('watch from a past revision replays history then continues live, no gap or repeat at the seam', async () => {
      const s = await fresh()
      for (let i = 0; i < 30; i++) await put(s, `/h/${i % 3}`, `${i}`)
      const listed = await list(s, '/h/')
      // writes between the list and the watch must arrive exactly once
      const writes = Array.from({ length: 20 }, (_, i) => put(s, `/h/${i % 4}`, `late${i}`))
      const w = collect(s, { key: '/h/', rangeEnd: prefixEnd('/h/'), startRevision: listed.revision + 1, prevKv: true })
      for (let i = 0; i < 20; i++) writes.push(put(s, `/h/${i % 5}`, `live${i}`))
      await Promise.all(writes)
      const evs = await w.until(40)
      const revs = evs.map((e) => e.kv.modRevision)
      expect(revs).toEqual(Array.from({ length: 40 }, (_, i) => listed.revision + 1 + i))
      const first = evs[0]
      expect(decode(first.prevKv!.value)).toBe('27')
      const old = collect(s, { key: '/h/0', startRevision: 2 })
      const replay = await old.until(10)
      expect(replay[0].kv.modRevision).toBe(2)
      expect(decode(replay[0].kv.value)).toBe('0')
      w.cancel()
      old.cancel()
    })

    test('a replay longer than one chunk meets the live stream exactly once', async () => {
      const s = await fresh()
      await Promise.all(Array.from({ length: 2500 }, (_, i) => put(s, `/long/${i % 7}`, `${i}`)))
      const w = collect(s, { key: '/long/', rangeEnd: prefixEnd('/long/'), startRevision: 2 })
      const live: Promise<unknown>[] = []
      for (let i = 0; i < 500; i++) {
        live.push(put(s, `/long/${i % 3}`, `live${i}`))
        if (i % 50 === 0) await sleep(0)
      }
      await Promise.all(live)
      const evs = await w.until(3000)
      expect(evs.length).toBe(3000)
      expect(evs.every((e, i) => e.kv.modRevision === i + 2)).toBe(true)
      w.cancel()
    })

    test('compaction keeps the newest version of every key; reads and watches below it fail', async () => {
      const s = await fresh()
      await put(s, '/c/a', '1')
      await put(s, '/c/a', '2')
      await put(s, '/c/b', '1')
      await del(s, '/c/b')
      await put(s, '/c/c', '1')
      const rev = s.currentRevision()
      await put(s, '/c/a', '3')
      await s.compact(rev)
      expect(s.compactRevision()).toBe(rev)
      await expect(s.range({ key: '/c/a', revision: rev - 1 })).rejects.toBeInstanceOf(CompactedError)
      const atCompact = await list(s, '/c/', { revision: rev })
      expect(atCompact.kvs.map((k) => [k.key, decode(k.value)])).toEqual([
        ['/c/a', '2'],
        ['/c/c', '1'],
      ])
      const now = await list(s, '/c/')
      expect(now.kvs.map((k) => [k.key, decode(k.value), k.version])).toEqual([
        ['/c/a', '3', 3],
        ['/c/c', '1', 1],
      ])
      expect(() => s.watch({ key: '/c/a', startRevision: rev - 1 }, { onEvents() {} })).toThrow(CompactedError)
      // as etcd, a watch may start at the compact revision itself: that revision's put is replayed
      const at = collect(s, { key: '/c/', rangeEnd: '/c0', startRevision: rev })
      expect((await at.until(2)).map((e) => [e.type, e.kv.key, decode(e.kv.value)])).toEqual([
        ['put', '/c/c', '1'],
        ['put', '/c/a', '3'],
      ])
      at.cancel()
      await expect(s.compact(rev)).rejects.toBeInstanceOf(CompactedError)
      await expect(s.compact(rev + 100)).rejects.toBeInstanceOf(FutureRevError)
      const w = collect(s, { key: '/c/a', startRevision: rev + 1, prevKv: true })
      const evs = await w.until(1)
      expect(decode(evs[0].prevKv!.value)).toBe('2')
      w.cancel()
      // a create after delete and compaction starts a new generation
      expect(await create(s, '/c/b', encode('again'))).toBe(s.currentRevision())
      expect((await s.status()).compactRevision).toBe(rev)
    })

    test('a lagging watcher that falls below a compaction ends with CompactedError (TestWatchCompacted)', async () => {
      const s = await fresh()
      for (let i = 0; i < 5; i++) await put(s, '/wc', `${i}`)
      const w = collect(s, { key: '/wc', startRevision: 2 })
      await s.compact(5)
      const err = await w.failed()
      expect(err).toBeInstanceOf(CompactedError)
    })

    test('lease expiry deletes the attached keys with delete events', async () => {
      const s = await fresh({ leaseCheckMs: 20, minLeaseTtl: 1 })
      const l = await s.leaseGrant(1)
      await put(s, '/l/a', 'a', l.id)
      await put(s, '/l/b', 'b', l.id)
      await put(s, '/l/c', 'c')
      const info = await s.leaseTimeToLive(l.id, true)
      expect(info.ttl).toBe(1)
      expect(info.keys.sort()).toEqual(['/l/a', '/l/b'])
      expect(await s.leaseList()).toContain(l.id)
      const w = collect(s, { key: '/l/', rangeEnd: prefixEnd('/l/'), prevKv: true })
      const evs = await w.until(2)
      expect(evs.map((e) => [e.type, e.kv.key])).toEqual([
        ['delete', '/l/a'],
        ['delete', '/l/b'],
      ])
      expect(evs[0].kv.modRevision).toBe(evs[1].kv.modRevision)
      expect(decode(evs[0].prevKv!.value)).toBe('a')
      expect((await list(s, '/l/')).kvs.map((k) => k.key)).toEqual(['/l/c'])
      expect((await s.leaseTimeToLive(l.id)).remaining).toBe(-1)
      await expect(s.leaseKeepAlive(l.id)).rejects.toBeInstanceOf(LeaseNotFoundError)
      w.cancel()
    })

    test('revoke deletes keys at once; keepalive refreshes the TTL', async () => {
      const s = await fresh({ leaseCheckMs: 20, minLeaseTtl: 1 })
      const l = await s.leaseGrant(60, 4242)
      expect(l.id).toBe(4242)
      await put(s, '/k/a', 'a', l.id)
      const before = s.currentRevision()
      await s.leaseRevoke(l.id)
      expect(s.currentRevision()).toBe(before + 1)
      expect(await get(s, '/k/a')).toBeUndefined()
      await expect(s.leaseRevoke(l.id)).rejects.toBeInstanceOf(LeaseNotFoundError)
      const short = await s.leaseGrant(1)
      await put(s, '/k/b', 'b', short.id)
      for (let i = 0; i < 4; i++) {
        await sleep(400)
        expect((await s.leaseKeepAlive(short.id)).ttl).toBe(1)
      }
      expect(await get(s, '/k/b')).toBeDefined()
      expect((await s.leaseTimeToLive(short.id)).remaining).toBeGreaterThan(0)
    })

    test('lease TTLs below the minimum are raised to it, as etcd does', async () => {
      const s = await fresh()
      expect((await s.leaseGrant(1)).ttl).toBe(2)
      expect((await s.leaseGrant(0)).ttl).toBe(2)
      expect((await s.leaseGrant(30)).ttl).toBe(30)
    })
  })
}

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

backendSuite('memory', (opts) => openBackend('memory://', opts))
backendSuite('sqlite', (opts) => {
  const dir = mkdtempSync(join(tmpdir(), 'kubun-ds-'))
  dirs.push(dir)
  return openBackend(`sqlite://${dir}/db/state.db`, opts)
})
