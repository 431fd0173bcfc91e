// Datastore bench, part 2: the same workloads over the etcd v3 API against `kubun server
// --etcd-listen` (SQLite default) and against a real etcd 3.4, each started here on loopback with a
// temp data dir: put latency and throughput, disk bytes per 1 KiB update and per idle minute
// (/proc/PID/io write_bytes of the server process), the event-loop stall of a big DeleteRange,
// and `etcdctl check perf`.

import { kvCall, kvClient, putStream } from '../test/integration/etcd-put-stream.ts'
import { etcdctl, type Target } from '../test/integration/etcdctl-targets.ts'
import { percentile, writeBytes } from './stats.ts'

export interface WireOptions {
  seqPuts: number
  concurrentPuts: number
  updates: number
  idleSeconds: number
  deleteKeys: number
  checkPerf: 'off' | 's' | 'm' | 'l'
}

export type WireResult = Record<string, number | string>

export async function benchWire(t: Target, o: WireOptions, note: (s: string) => void): Promise<WireResult> {
  const out: WireResult = {}
  note(`${t.name}: warm-up, then sequential puts`)
  // Warm-up: connection set-up, JIT, and (for kubun) the API server's start-up work settle first.
  await putStream(t.endpoint, '/bench/warm/', { concurrency: 4, count: 500, valueSize: 1024 })
  const lat: number[] = []
  let t0 = performance.now()
  await putStream(t.endpoint, '/bench/seq/', { concurrency: 1, count: o.seqPuts, valueSize: 1024, latencies: lat })
  out.seqPerSec = o.seqPuts / ((performance.now() - t0) / 1000)
  out.seqP50 = percentile(lat, 50)
  out.seqP99 = percentile(lat, 99)

  note(`${t.name}: concurrent puts`)
  const clat: number[] = []
  t0 = performance.now()
  await putStream(t.endpoint, '/bench/conc/', {
    concurrency: 64,
    count: o.concurrentPuts,
    valueSize: 1024,
    latencies: clat,
  })
  out.concPerSec = o.concurrentPuts / ((performance.now() - t0) / 1000)
  out.concP99 = percentile(clat, 99)

  note(`${t.name}: disk bytes per update`)
  Object.assign(out, await diskPerUpdate(t, o.updates))
  note(`${t.name}: idle writes for ${o.idleSeconds} s`)
  const rev0 = await revision(t)
  const idle0 = writeBytes(t.pid())
  await Bun.sleep(o.idleSeconds * 1000)
  out.idleBytesPerMin = ((writeBytes(t.pid()) - idle0) * 60) / o.idleSeconds
  // Writes clients made while "idle" (kubun: the controller manager's leader-election lease).
  out.idleRevsPerMin = (((await revision(t)) - rev0) * 60) / o.idleSeconds

  note(`${t.name}: DeleteRange of ${o.deleteKeys} keys`)
  Object.assign(out, await deleteStall(t, o.deleteKeys))

  if (o.checkPerf !== 'off') {
    note(`${t.name}: etcdctl check perf --load=${o.checkPerf} (60 s)`)
    const r = await etcdctl(t.endpoint, ['check', 'perf', `--load=${o.checkPerf}`, '--command-timeout=90s'])
    const lines = (r.stdout + r.stderr).split('\n').filter((l) => /^(PASS|FAIL)/.test(l.trim()))
    out.checkPerf = lines.find((l) => /^(PASS|FAIL)$/.test(l.trim())) ?? `exit ${r.code}`
    out.checkPerfDetail = lines.filter((l) => l.includes(':')).join('; ')
  }
  return out
}

async function revision(t: Target): Promise<number> {
  const client = kvClient(t.endpoint)
  try {
    return Number((await kvCall(client, 'Range', { key: Buffer.from('/bench/none') })).header.revision)
  } finally {
    client.close()
  }
}

async function diskPerUpdate(t: Target, n: number) {
  const keys = 100
  await putStream(t.endpoint, '/bench/upd/', { concurrency: 4, count: keys, valueSize: 1024 })
  const before = writeBytes(t.pid())
  await putStream(t.endpoint, '/bench/upd/', {
    concurrency: 1,
    count: n,
    valueSize: 1024,
    keyOf: (i) => `/bench/upd/${i % keys}`,
  })
  // Let deferred writes (WAL checkpoints, page-cache write-back accounted to the process) land.
  await Bun.sleep(3000)
  return { bytesPerUpdate: (writeBytes(t.pid()) - before) / n }
}

/**
 * Loads `n` keys (128 puts per txn), then deletes them with one DeleteRange while a probe reads one
 * key every 10 ms and `etcdctl lease keep-alive` keeps a 5 s lease: the probe's slowest answer is
 * how long the server stopped serving, and the lease shows whether keepalives survived.
 */
async function deleteStall(t: Target, n: number) {
  const client = kvClient(t.endpoint)
  const value = Buffer.alloc(64, 'x')
  let next = 0
  const loader = async () => {
    while (next < n) {
      const start = next
      next += 128
      const success = []
      for (let i = start; i < Math.min(n, start + 128); i++) {
        success.push({ request_put: { key: Buffer.from(`/bench/del/${String(i).padStart(7, '0')}`), value } })
      }
      await kvCall(client, 'Txn', { success })
    }
  }
  await Promise.all(Array.from({ length: 4 }, loader))
  const lease = /lease ([0-9a-f]+) granted/.exec((await etcdctl(t.endpoint, ['lease', 'grant', '5'])).stdout)?.[1]
  const keeper = Bun.spawn(['etcdctl', `--endpoints=${t.endpoint}`, 'lease', 'keep-alive', lease ?? '0'], {
    env: { ...process.env, ETCDCTL_API: '3' },
    stdout: 'ignore',
    stderr: 'ignore',
  })
  await Bun.sleep(1000)
  let probing = true
  let maxProbe = 0
  const probe = (async () => {
    while (probing) {
      const s = performance.now()
      await kvCall(client, 'Range', { key: Buffer.from('/bench/probe') })
      maxProbe = Math.max(maxProbe, performance.now() - s)
      await Bun.sleep(10)
    }
  })()
  const s = performance.now()
  const del = await kvCall(
    client,
    'DeleteRange',
    { key: Buffer.from('/bench/del/'), range_end: Buffer.from('/bench/del0') },
    300_000,
  )
  const deleteMs = performance.now() - s
  await Bun.sleep(1000)
  probing = false
  await probe
  client.close()
  const ttl = await etcdctl(t.endpoint, ['lease', 'timetolive', lease ?? '0'])
  const survived = keeper.exitCode === null && !ttl.stdout.includes('expired')
  keeper.kill()
  await keeper.exited
  return {
    deleted: Number(del.deleted),
    deleteMs,
    maxProbeMs: maxProbe,
    keepaliveSurvived: survived ? 'yes' : 'NO',
  }
}
