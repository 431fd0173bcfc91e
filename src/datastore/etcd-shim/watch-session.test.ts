import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import type { Backend } from '../backend.ts'
import { memoryBackend } from '../memory/index.ts'
import { encode } from '../ops.ts'
import { WatchSession } from './watch-session.ts'

type Resp = Record<string, any>

const k = (s: string) => Buffer.from(s, 'latin1')
const put = (store: Backend, key: string, value: string) =>
  store.txn({ compare: [], success: [{ type: 'put', key, value: encode(value) }], failure: [] })
const del = (store: Backend, key: string) => store.txn({ compare: [], success: [{ type: 'delete', key }], failure: [] })

async function until(pred: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !pred(); i++) await Bun.sleep(5)
}

describe('WatchSession', () => {
  let store: Backend
  let sent: Resp[]
  let session: WatchSession
  beforeEach(async () => {
    store = memoryBackend()
    await store.start()
    sent = []
    session = new WatchSession(store, (r) => sent.push(r), 50)
  })
  afterEach(async () => {
    session.close()
    await store.close()
  })
  const events = () => sent.filter((r) => r.events)

  test('assigns watch ids from 0 per stream and confirms each create', () => {
    session.handle({ create_request: { key: k('a') } })
    session.handle({ create_request: { key: k('b') } })
    expect(sent.map((r) => [r.watch_id, r.created])).toEqual([
      [0, true],
      [1, true],
    ])
  })

  test('delivers events with the header at their revision; prev_kv only when asked', async () => {
    session.handle({ create_request: { key: k('/a/'), range_end: k('/a0') } })
    session.handle({ create_request: { key: k('/a/x'), prev_kv: true } })
    await put(store, '/a/x', 'v1')
    const r2 = (await put(store, '/a/x', 'v2')).revision
    await until(() => events().length === 4)
    const last = events().filter((r) => r.watch_id === 1)[1]
    expect(last.header.revision).toBe(r2)
    expect(last.events[0]).toMatchObject({ type: 'PUT', kv: { value: k('v2') }, prev_kv: { value: k('v1') } })
    expect(events().filter((r) => r.watch_id === 0)[1].events[0].prev_kv).toBeUndefined()
  })

  test('NOPUT and NODELETE filters drop those events', async () => {
    session.handle({ create_request: { key: k('f'), filters: ['NOPUT'] } })
    await put(store, 'f', 'v')
    await del(store, 'f')
    await until(() => events().length === 1)
    await Bun.sleep(20)
    expect(events().map((r) => r.events.map((e: Resp) => e.type))).toEqual([['DELETE']])
  })

  test('cancel confirms and stops delivery', async () => {
    session.handle({ create_request: { key: k('c') } })
    session.handle({ cancel_request: { watch_id: '0' } })
    await put(store, 'c', 'v')
    await Bun.sleep(20)
    expect(sent.at(-1)).toMatchObject({ watch_id: 0, canceled: true })
    expect(events()).toEqual([])
  })

  test('a compacted start revision is created, then canceled with the compact revision', async () => {
    await put(store, 'h', 'v1')
    const r = (await put(store, 'h', 'v2')).revision
    await put(store, 'h', 'v3')
    await store.compact(r)
    session.handle({ create_request: { key: k('h'), start_revision: String(r - 1) } })
    expect(sent).toMatchObject([
      { watch_id: 0, created: true },
      { watch_id: 0, canceled: true, compact_revision: r },
    ])
  })

  test('a progress request answers watch_id -1 at the current revision, after the events before it', async () => {
    session.handle({ create_request: { key: k('p') } })
    const rev = (await put(store, 'p', 'v')).revision
    session.handle({ progress_request: {} })
    await until(() => sent.some((r) => r.watch_id === -1))
    const i = sent.findIndex((r) => r.watch_id === -1)
    expect(sent[i].header.revision).toBe(rev)
    expect(sent.findIndex((r) => r.events)).toBeLessThan(i)
  })

  test('a progress request waits until a watch replaying history has caught up', async () => {
    for (let i = 0; i < 2500; i++) await put(store, `r${i % 10}`, `v${i}`)
    const rev = store.currentRevision()
    session.handle({ create_request: { key: k('r'), range_end: k('s'), start_revision: '2' } })
    session.handle({ progress_request: {} })
    await until(() => sent.some((r) => r.watch_id === -1))
    const i = sent.findIndex((r) => r.watch_id === -1)
    expect(sent[i].header.revision).toBe(rev)
    const replayed = sent.slice(0, i).reduce((n, r) => n + (r.events?.length ?? 0), 0)
    expect(replayed).toBe(2500)
  })

  test('progress_notify watches get empty notifications while idle', async () => {
    session.handle({ create_request: { key: k('n'), progress_notify: true } })
    session.handle({ create_request: { key: k('m') } })
    await until(() => sent.some((r) => r.watch_id === 0 && !r.created && !r.events))
    const note = sent.find((r) => r.watch_id === 0 && !r.created)
    expect(note).toMatchObject({ watch_id: 0, header: { revision: store.currentRevision() } })
    expect(sent.some((r) => r.watch_id === 1 && !r.created)).toBe(false)
  })

  test('a watch id already in use is refused', () => {
    session.handle({ create_request: { key: k('a'), watch_id: '7' } })
    session.handle({ create_request: { key: k('b'), watch_id: '7' } })
    expect(sent[1]).toMatchObject({ watch_id: -1, created: true, canceled: true })
  })
})
