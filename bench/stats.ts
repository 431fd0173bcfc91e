// Small helpers shared by the benches: percentiles, /proc I/O counters, the datastore bench's table.
import { readFileSync } from 'node:fs'

export function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

/** Bytes a process caused to be sent to the storage layer (`write_bytes` of /proc/PID/io). */
export function writeBytes(pid: number): number {
  const m = /^write_bytes: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))
  return m ? Number(m[1]) : Number.NaN
}

export interface Row {
  section: string
  metric: string
  kubun: number | string
  etcd?: number | string
  /** lower is better (latency, bytes): the ratio column says how many times etcd's */
  unit?: string
}

const fmt = (v: number | string | undefined): string => {
  if (v === undefined) return ''
  if (typeof v === 'string') return v
  if (!Number.isFinite(v)) return 'n/a'
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US')
  return v.toFixed(Math.abs(v) >= 10 ? 1 : 2)
}

export function printTable(rows: Row[]): void {
  const head = ['section', 'metric', 'kubun', 'etcd 3.4', 'kubun/etcd']
  const body = rows.map((r) => [
    r.section,
    r.unit ? `${r.metric} (${r.unit})` : r.metric,
    fmt(r.kubun),
    fmt(r.etcd),
    typeof r.kubun === 'number' && typeof r.etcd === 'number' && r.etcd !== 0
      ? `${(r.kubun / r.etcd).toFixed(2)}x`
      : '',
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)))
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`
  console.log(line(head))
  console.log(`|${widths.map((w, i) => (i < 2 ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|`)
  for (const b of body) console.log(line(b))
}
