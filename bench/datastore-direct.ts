// Datastore bench, part 1: the Backend called directly (SQLite driver, no gRPC): single-key creates
// and updates, a range over 10k keys, and watch fan-out to 100 watchers.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Backend, TxnOp } from '../src/datastore/backend.ts'
import { openBackend } from '../src/datastore/index.ts'
import { create, list, update } from '../src/datastore/ops.ts'
import { percentile, type Row } from './stats.ts'

const section = 'Backend (sqlite)'
const value1k = new Uint8Array(1024).fill(120)

export async function benchDirect(opts: { ops: number; rangeKeys: number; watchers: number }): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kubun-bench-direct-'))
  const store = openBackend(`sqlite://${join(dir, 'state.db')}`)
  await store.start()
  try {
    return [
      ...(await creates(store, opts.ops)),
      ...(await updates(store, opts.ops)),
      ...(await concurrentCreates(store, opts.ops * 4)),
      ...(await rangeOver(store, opts.rangeKeys)),
      ...(await watchFanOut(store, opts.watchers, Math.max(200, opts.ops / 2))),
    ]
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function timed(n: number, op: (i: number) => Promise<unknown>) {
  const lat: number[] = []
  const t0 = performance.now()
  for (let i = 0; i < n; i++) {
    const s = performance.now()
    await op(i)
    lat.push(performance.now() - s)
  }
  return { perSec: n / ((performance.now() - t0) / 1000), lat }
}

async function creates(store: Backend, n: number): Promise<Row[]> {
  const r = await timed(n, (i) => create(store, `/bench/create/${i}`, value1k))
  return latencyRows('create 1 KiB, one at a time', r)
}

async function updates(store: Backend, n: number): Promise<Row[]> {
  const keys = 100
  const revs: number[] = []
  for (let k = 0; k < keys; k++) revs.push(await create(store, `/bench/update/${k}`, value1k))
  const r = await timed(n, async (i) => {
    revs[i % keys] = await update(store, `/bench/update/${i % keys}`, value1k, revs[i % keys])
  })
  return latencyRows('update 1 KiB (compare mod rev), one at a time', r)
}

async function concurrentCreates(store: Backend, n: number): Promise<Row[]> {
  const t0 = performance.now()
  let next = 0
  const worker = async () => {
    while (next < n) await create(store, `/bench/concurrent/${next++}`, value1k)
  }
  await Promise.all(Array.from({ length: 64 }, worker))
  return [{ section, metric: 'create 1 KiB, 64 in flight', kubun: n / ((performance.now() - t0) / 1000), unit: '/s' }]
}

function latencyRows(metric: string, r: { perSec: number; lat: number[] }): Row[] {
  return [
    { section, metric, kubun: r.perSec, unit: '/s' },
    { section, metric: `${metric} p50`, kubun: percentile(r.lat, 50), unit: 'ms' },
    { section, metric: `${metric} p99`, kubun: percentile(r.lat, 99), unit: 'ms' },
  ]
}

async function rangeOver(store: Backend, n: number): Promise<Row[]> {
  const prefix = '/bench/range/'
  for (let i = 0; i < n; i += 128) {
    const ops: TxnOp[] = []
    for (let j = i; j < Math.min(n, i + 128); j++) {
      ops.push({ type: 'put', key: `${prefix}${String(j).padStart(6, '0')}`, value: value1k.subarray(0, 256) })
    }
    await store.txn({ compare: [], success: ops, failure: [] })
  }
  const full = await timed(10, () => list(store, prefix))
  const paged = await timed(10, async () => {
    let start: string | undefined
    for (;;) {
      const page = await list(store, prefix, { limit: 500, startKey: start })
      if (!page.more) break
      start = `${page.kvs[page.kvs.length - 1].key}\0`
    }
  })
  const count = await timed(10, () => store.range({ key: prefix, rangeEnd: '/bench/range0', countOnly: true }))
  return [
    { section, metric: `range ${n} keys (256 B values), one read`, kubun: percentile(full.lat, 50), unit: 'ms' },
    { section, metric: `range ${n} keys in pages of 500`, kubun: percentile(paged.lat, 50), unit: 'ms' },
    { section, metric: `count ${n} keys`, kubun: percentile(count.lat, 50), unit: 'ms' },
  ]
}

async function watchFanOut(store: Backend, watchers: number, puts: number): Promise<Row[]> {
  const prefix = '/bench/watch/'
  const started = new Map<string, number>()
  const delivery: number[] = []
  let delivered = 0
  const ws = Array.from({ length: watchers }, () =>
    store.watch(
      { key: prefix, rangeEnd: '/bench/watch0' },
      {
        onEvents: (events) => {
          const now = performance.now()
          for (const e of events) {
            delivered++
            const s = started.get(e.kv.key)
            if (s !== undefined) delivery.push(now - s)
          }
        },
      },
    ),
  )
  const t0 = performance.now()
  let next = 0
  // 8 writers, so deliveries overlap with commits as they would under a busy API server.
  const writer = async () => {
    while (next < puts) {
      const key = `${prefix}${next++}`
      started.set(key, performance.now())
      await create(store, key, value1k.subarray(0, 256))
    }
  }
  await Promise.all(Array.from({ length: 8 }, writer))
  const deadline = Date.now() + 10_000
  while (delivered < puts * watchers && Date.now() < deadline) await Bun.sleep(10)
  const secs = (performance.now() - t0) / 1000
  for (const w of ws) w.cancel()
  return [
    {
      section,
      metric: `watch fan-out: ${puts} puts x ${watchers} watchers, events delivered`,
      kubun: delivered / secs,
      unit: '/s',
    },
    {
      section,
      metric: 'watch delivery latency p50 (put start → callback)',
      kubun: percentile(delivery, 50),
      unit: 'ms',
    },
    { section, metric: 'watch delivery latency p99', kubun: percentile(delivery, 99), unit: 'ms' },
  ]
}
