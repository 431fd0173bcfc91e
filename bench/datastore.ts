#!/usr/bin/env bun
// Datastore benchmark: `bun bench/datastore.ts [--quick] [--idle-seconds N] [--check-perf s|m|l|off]`.
// Part 1 calls the SQLite Backend directly; part 2 drives kubun's etcd shim and a real etcd 3.4
// (Debian etcd-server, started here on 127.0.0.1 with temp dirs) with the same workloads and prints
// them side by side with the ratio. Figures are for the machine it runs on; rerun to compare.
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { haveEtcd, haveEtcdctl, startEtcd, startKubun, type Target } from '../test/integration/etcdctl-targets.ts'
import { benchDirect } from './datastore-direct.ts'
import { benchWire, type WireOptions, type WireResult } from './datastore-wire.ts'
import { printTable, type Row } from './stats.ts'

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'idle-seconds': { type: 'string' },
    'check-perf': { type: 'string' },
  },
})
const quick = args.quick ?? false
const note = (s: string) => process.stderr.write(`… ${s}\n`)

const direct = quick ? { ops: 300, rangeKeys: 10_000, watchers: 100 } : { ops: 3000, rangeKeys: 10_000, watchers: 100 }
const idleSeconds = Number(args['idle-seconds'] ?? (quick ? 5 : 60))
const wire: WireOptions = quick
  ? { seqPuts: 300, concurrentPuts: 2000, updates: 300, idleSeconds, deleteKeys: 20_000, checkPerf: 'off' }
  : { seqPuts: 2000, concurrentPuts: 10_000, updates: 2000, idleSeconds, deleteKeys: 200_000, checkPerf: 'm' }
if (args['check-perf']) wire.checkPerf = args['check-perf'] as WireOptions['checkPerf']

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')
const loadAtStart = load()
note('Backend direct (sqlite)')
const rows: Row[] = await benchDirect(direct)

async function run(start: () => Promise<Target>): Promise<WireResult | undefined> {
  const t = await start()
  try {
    return await benchWire(t, wire, note)
  } finally {
    await t.stop()
  }
}

if (!haveEtcdctl()) note('etcdctl not found (apt-get install etcd-client): skipping the etcd API comparison')
const kubun = haveEtcdctl() ? await run(() => startKubun()) : undefined
if (!haveEtcd()) note('etcd not found (apt-get install etcd-server): no real etcd column')
const etcd = haveEtcdctl() && haveEtcd() ? await run(startEtcd) : undefined

if (kubun) {
  const section = 'etcd API'
  const row = (metric: string, key: string, unit?: string): Row => ({
    section,
    metric,
    kubun: kubun[key],
    etcd: etcd?.[key],
    unit,
  })
  rows.push(
    row('put 1 KiB, one at a time', 'seqPerSec', '/s'),
    row('put 1 KiB, one at a time p50', 'seqP50', 'ms'),
    row('put 1 KiB, one at a time p99', 'seqP99', 'ms'),
    row('put 1 KiB, 64 in flight', 'concPerSec', '/s'),
    row('put 1 KiB, 64 in flight p99', 'concP99', 'ms'),
    row('disk written per 1 KiB update', 'bytesPerUpdate', 'bytes'),
    row(
      `disk written per idle minute (${idleSeconds} s measured, x${(60 / idleSeconds).toFixed(1)})`,
      'idleBytesPerMin',
      'bytes',
    ),
    row('writes (revisions) per idle minute, same window', 'idleRevsPerMin', '/min'),
    row('DeleteRange keys', 'deleted'),
    row('DeleteRange duration', 'deleteMs', 'ms'),
    row('slowest 10 ms probe read during DeleteRange', 'maxProbeMs', 'ms'),
    row('5 s lease kept alive by etcdctl through DeleteRange', 'keepaliveSurvived'),
  )
  if (wire.checkPerf !== 'off') {
    rows.push(row(`etcdctl check perf --load=${wire.checkPerf}`, 'checkPerf'))
  }
}

console.log(`\nkubun datastore bench${quick ? ' (--quick: small counts, short idle window)' : ''}\n`)
printTable(rows)
if (kubun && wire.checkPerf !== 'off') {
  console.log(`\ncheck perf kubun: ${kubun.checkPerfDetail}`)
  if (etcd) console.log(`check perf etcd:  ${etcd.checkPerfDetail}`)
}
console.log(
  `\n${cpus().length} CPUs; load average ${loadAtStart} at start, ${load()} at end (other load skews every figure).`,
)
console.log(
  'Disk bytes are write_bytes from /proc/PID/io of the server process; the idle figure is extrapolated to one minute.',
)
