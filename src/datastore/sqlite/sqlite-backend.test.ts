// What only a durable driver must do: survive restarts and kill -9, refuse a second opener and a
// corrupt file with a message saying what to do, and keep its file bounded under compaction.

import { Database } from 'bun:sqlite'
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Backend } from '../backend.ts'
import { StoreUnavailableError } from '../errors.ts'
import { openBackend } from '../index.ts'
import type { MvccOptions } from '../mvcc/mvcc-store.ts'
import { decode, encode, get, list } from '../ops.ts'

const root = mkdtempSync(join(tmpdir(), 'kubun-sqlite-'))
const children: ReturnType<typeof Bun.spawn>[] = []
afterAll(() => {
  for (const c of children) c.kill('SIGKILL')
  rmSync(root, { recursive: true, force: true })
})

let n = 0
const newPath = () => join(root, `d${n++}`, 'server', 'db', 'state.db')
async function open(path: string, opts: MvccOptions = {}): Promise<Backend> {
  const s = openBackend(`sqlite://${path}`, { compactIntervalMs: 0, ...opts })
  await s.start()
  return s
}
const put = (s: Backend, key: string, value: Uint8Array | string, lease = 0) =>
  s.txn({
    compare: [],
    success: [{ type: 'put', key, value: typeof value === 'string' ? encode(value) : value, lease }],
    failure: [],
  })

function child(mode: 'write' | 'open', path: string) {
  const p = Bun.spawn([process.execPath, join(import.meta.dir, 'store-child.fixture.ts'), mode, path], {
    stdout: 'pipe',
    stderr: 'inherit',
  })
  children.push(p)
  return p
}

/** Reads the child's stdout line by line until `enough(lines)` holds or the stream ends. */
async function readLines(p: ReturnType<typeof child>, enough: (lines: string[]) => boolean): Promise<string[]> {
  const lines: string[] = []
  let rest = ''
  const reader = (p.stdout as ReadableStream<Uint8Array>).getReader()
  while (!enough(lines)) {
    const { value, done } = await reader.read()
    if (done) break
    const parts = (rest + new TextDecoder().decode(value)).split('\n')
    rest = parts.pop()!
    lines.push(...parts)
  }
  reader.releaseLock()
  return lines
}

describe('sqlite driver', () => {
  test('reopening keeps keys, history, leases and the compact revision; revisions continue', async () => {
    const path = newPath()
    const s = await open(path)
    await put(s, '/a', '1')
    await put(s, '/a', '2')
    await put(s, '/b', '1')
    const lease = await s.leaseGrant(300)
    await put(s, '/leased', 'x', lease.id)
    await s.txn({ compare: [], success: [{ type: 'delete', key: '/b' }], failure: [] })
    await s.compact(3)
    const rev = s.currentRevision()
    await s.close()

    const again = await open(path)
    expect(again.currentRevision()).toBe(rev)
    expect(again.compactRevision()).toBe(3)
    expect(decode((await get(again, '/a'))!.value)).toBe('2')
    expect(await get(again, '/a')).toMatchObject({ createRevision: 2, modRevision: 3, version: 2 })
    expect(await get(again, '/b')).toBeUndefined()
    expect((await get(again, '/b', 4))?.modRevision).toBe(4)
    expect(await again.leaseList()).toEqual([lease.id])
    expect((await again.leaseTimeToLive(lease.id, true)).keys).toEqual(['/leased'])
    expect((await put(again, '/c', '1')).revision).toBe(rev + 1)
    await again.close()
  })

  test('every acknowledged write survives kill -9 of the process', async () => {
    const path = newPath()
    const p = child('write', path)
    const lines = await readLines(p, (l) => l.filter((x) => x.startsWith('ack ')).length >= 2000)
    p.kill('SIGKILL')
    await p.exited
    const acked = lines.filter((l) => l.startsWith('ack ')).map((l) => l.split(' '))
    expect(acked.length).toBeGreaterThanOrEqual(2000)
    const s = await open(path)
    const stored = new Map((await list(s, '/crash/')).kvs.map((kv) => [kv.key, kv]))
    for (const [, key, rev] of acked) {
      expect(stored.get(key)?.modRevision).toBe(Number(rev))
      expect(decode(stored.get(key)!.value)).toBe(`v-${key}`)
    }
    expect(s.currentRevision()).toBeGreaterThanOrEqual(Math.max(...acked.map((a) => Number(a[2]))))
    await s.close()
  })

  test('a second process on the same file is refused with a clear message; the lock dies with its holder', async () => {
    const path = newPath()
    const s = await open(path)
    const p = child('open', path)
    const [line] = await readLines(p, (l) => l.length > 0)
    await p.exited
    expect(line).toStartWith('error StoreUnavailableError:')
    expect(line).toContain(path)
    expect(line).toContain(`pid ${process.pid}`)
    expect(line).toContain('Stop the other kubun server')
    // in the same process too: a second open must not share the file
    await expect(open(path)).rejects.toBeInstanceOf(StoreUnavailableError)
    await s.close()

    const holder = child('open', path)
    expect(await readLines(holder, (l) => l.length > 0)).toEqual(['opened'])
    holder.kill('SIGKILL')
    await holder.exited
    const after = await open(path)
    await after.close()
  })

  test('a corrupt or foreign database file fails start-up saying which file and what to do', async () => {
    const path = newPath()
    const s = await open(path)
    await s.close()
    writeFileSync(path, crypto.getRandomValues(new Uint8Array(8192)))
    const err = await open(path).catch((e) => e)
    expect(err).toBeInstanceOf(StoreUnavailableError)
    expect(err.message).toContain(path)
    expect(err.message).toContain('corrupt')
    expect(err.message).toContain('snapshot')

    // damage deep inside a valid file: found while the index is rebuilt
    const deep = newPath()
    const d = await open(deep)
    for (let i = 0; i < 300; i++) await put(d, `/deep/${i}`, crypto.getRandomValues(new Uint8Array(1024)))
    await d.close()
    const bytes = await Bun.file(deep).bytes()
    bytes.set(crypto.getRandomValues(new Uint8Array(bytes.length - 8192)), 8192)
    writeFileSync(deep, bytes)
    for (let i = 0; i < 2; i++) {
      const e = await open(deep).catch((x) => x)
      expect(e).toBeInstanceOf(StoreUnavailableError)
      expect(e.message).toContain(`datastore file ${deep} is corrupt`)
    }

    const foreign = newPath()
    await open(foreign).then((x) => x.close())
    rmSync(foreign)
    const db = new Database(foreign, { create: true })
    db.exec('CREATE TABLE kine (id INTEGER PRIMARY KEY)')
    db.close()
    const err2 = await open(foreign).catch((e) => e)
    expect(err2).toBeInstanceOf(StoreUnavailableError)
    expect(err2.message).toContain('not a kubun datastore')
  })

  test('compaction keeps the file bounded under repeated updates of the same keys', async () => {
    const path = newPath()
    const s = await open(path, { compactChunk: 200 })
    const value = crypto.getRandomValues(new Uint8Array(1024))
    const sizes: number[] = []
    for (let round = 0; round < 12; round++) {
      await Promise.all(Array.from({ length: 200 }, (_, i) => put(s, `/bounded/${i % 50}`, value)))
      await s.compact(s.currentRevision() - 50, { physical: true })
      sizes.push(statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0))
    }
    // 50 live 1 KiB keys: after warm-up the file stops growing (freed pages are given back).
    expect(Math.max(...sizes.slice(4))).toBeLessThanOrEqual(sizes[3] * 1.5)
    expect(sizes[sizes.length - 1]).toBeLessThan(1024 * 1024)
    const st = await s.status()
    expect(st.dbSizeInUse).toBeLessThanOrEqual(st.dbSize)
    expect((await list(s, '/bounded/')).count).toBe(50)
    await s.close()
  })

  test('automatic compaction keeps the configured number of revisions', async () => {
    const path = newPath()
    const s = await open(path, { compactIntervalMs: 30, compactKeep: 10 })
    for (let i = 0; i < 40; i++) await put(s, '/auto', `${i}`)
    while (s.compactRevision() < s.currentRevision() - 10) await Bun.sleep(20)
    expect(s.compactRevision()).toBe(s.currentRevision() - 10)
    expect(decode((await get(s, '/auto'))!.value)).toBe('39')
    await s.close()
  })
})
