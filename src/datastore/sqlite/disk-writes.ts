// Bytes this process caused to be written to storage, from /proc/<pid>/io `write_bytes` (pages
// dirtied, counted once per page until written back), as the datastore bench reports them: our
// target is no more per 1 KiB update than etcd's ~7 KiB (SD-card wear on Raspberry Pis).
import { readFileSync } from 'node:fs'

export function writeBytes(pid: number | 'self' = 'self'): number {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8')
  const m = /^write_bytes:\s*(\d+)/m.exec(io)
  if (!m) throw new Error(`no write_bytes in /proc/${pid}/io`)
  return Number(m[1])
}

/** Runs `work` and returns the bytes written meanwhile (by this process unless `pid` is given). */
export async function bytesWrittenBy(work: () => Promise<void>, pid: number | 'self' = 'self'): Promise<number> {
  const before = writeBytes(pid)
  await work()
  return writeBytes(pid) - before
}
