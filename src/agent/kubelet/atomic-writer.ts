// The kubelet's AtomicWriter (pkg/volume/util/atomic_writer.go): a volume's files live in a timestamped
// directory; `..data` is a symlink to it, swapped with a rename, and each top-level name is a symlink
// through `..data`. A reader (a container following a ConfigMap) sees either the old or the new set,
// never half of each.
import { createHash } from 'node:crypto'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join } from 'node:path'

export interface Payload {
  [relPath: string]: { data: Uint8Array | string; mode?: number }
}

export function payloadHash(p: Payload): string {
  const h = createHash('sha256')
  for (const k of Object.keys(p).sort())
    h.update(`${k}\0${p[k].mode ?? ''}\0`)
      .update(p[k].data)
      .update('\0')
  return h.digest('hex')
}

/** Writes payload into dir atomically; returns false when the content was already there. */
export function writeAtomic(dir: string, payload: Payload, now = Date.now()): boolean {
  mkdirSync(dir, { recursive: true })
  const hash = payloadHash(payload)
  const hashFile = join(dir, '..kubun-hash')
  const dataLink = join(dir, '..data')
  let old: string | undefined
  try {
    old = readlinkSync(dataLink)
  } catch {}
  if (old && existsSync(hashFile) && readFileSync(hashFile, 'utf8') === hash) return false
  const tsDir = `..${new Date(now).toISOString().replace(/[:.]/g, '_')}.${Math.random().toString(36).slice(2, 8)}`
  const full = join(dir, tsDir)
  mkdirSync(full)
  for (const [rel, f] of Object.entries(payload)) {
    const path = join(full, rel)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, f.data)
    chmodSync(path, f.mode ?? 0o644)
  }
  const tmpLink = join(dir, '..data_tmp')
  rmSync(tmpLink, { force: true })
  symlinkSync(tsDir, tmpLink)
  renameSync(tmpLink, dataLink)
  // top-level entries: symlinks through ..data; stale ones removed
  const tops = new Set(Object.keys(payload).map((k) => k.split('/')[0]))
  for (const name of readdirSync(dir)) {
    if (name.startsWith('..')) continue
    if (!tops.has(name)) rmSync(join(dir, name), { force: true, recursive: true })
  }
  for (const t of tops) {
    const link = join(dir, t)
    if (!existsSync(link)) symlinkSync(join('..data', t), link)
  }
  if (old && old !== tsDir) rmSync(join(dir, old), { recursive: true, force: true })
  writeFileSync(hashFile, hash)
  return true
}
