// The in-memory MVCC index, like etcd's treeIndex: for every key the list of its versions in
// revision order, plus a write log (revision order, op order within a revision) that watches
// replay from. Values may live elsewhere (SQLite); the index only needs their row ids.
import { isSingleKey, pastEnd } from './key-range.ts'
import { SortedKeys } from './sorted-keys.ts'
import { type Change, isTombstone, type Version } from './version.ts'

export interface LogEntry {
  key: string
  v: Version
}

export class KeyIndex {
  private versions = new Map<string, Version[]>()
  private keys = new SortedKeys()
  /** writes with rev > the compact revision, in write order */
  private log: LogEntry[] = []

  /** The newest version of `key` including tombstones and not-yet-visible writes. */
  latest(key: string): Version | undefined {
    const vs = this.versions.get(key)
    return vs?.[vs.length - 1]
  }

  /** The live version of `key` as of `rev`, undefined if absent or deleted then. */
  at(key: string, rev: number): Version | undefined {
    const vs = this.versions.get(key)
    if (!vs) return undefined
    const v = vs[lastAtOrBelow(vs, rev)]
    return v && !isTombstone(v) ? v : undefined
  }

  /** Live keys of the range as of `rev`, in key order; at most `max`. */
  range(key: string, rangeEnd: string | undefined, rev: number, max = Number.POSITIVE_INFINITY): LogEntry[] {
    if (isSingleKey(rangeEnd)) {
      const v = this.at(key, rev)
      return v ? [{ key, v }] : []
    }
    const out: LogEntry[] = []
    const start = key === '\0' && rangeEnd === '\0' ? '' : key
    this.keys.scan(start, (k) => {
      if (pastEnd(k, rangeEnd)) return false
      const v = this.at(k, rev)
      if (v) out.push({ key: k, v })
      return out.length < max
    })
    return out
  }

  /** Appends a write; the caller guarantees revisions never go down. */
  append(key: string, v: Version): void {
    let vs = this.versions.get(key)
    if (!vs) {
      vs = []
      this.versions.set(key, vs)
      this.keys.insert(key)
    }
    vs.push(v)
    this.log.push({ key, v })
  }

  /** Undoes every write with revision >= rev (a txn that failed half way). */
  truncateFrom(rev: number): void {
    while (this.log.length && this.log[this.log.length - 1].v.rev >= rev) {
      const { key } = this.log.pop()!
      const vs = this.versions.get(key)!
      vs.pop()
      if (!vs.length) {
        this.versions.delete(key)
        this.keys.remove(key)
      }
    }
  }

  /** The version of `key` just before `rev`, if live (a watch event's prevKv). */
  prevOf(key: string, rev: number): Version | undefined {
    const vs = this.versions.get(key)
    if (!vs) return undefined
    const v = vs[lastAtOrBelow(vs, rev - 1)]
    return v && !isTombstone(v) ? v : undefined
  }

  /**
   * Changes with from <= rev <= to, whole revisions only, about `maxRows` at most
   * (one revision may exceed it). The log holds everything above the compact revision.
   */
  history(from: number, to: number, maxRows: number): Change[] {
    const out: Change[] = []
    let lo = 0
    let hi = this.log.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.log[mid].v.rev < from) lo = mid + 1
      else hi = mid
    }
    for (let i = lo; i < this.log.length; i++) {
      const { key, v } = this.log[i]
      if (v.rev > to) break
      if (out.length >= maxRows && v.rev !== out[out.length - 1].v.rev) break
      out.push({ key, v, prev: this.prevOf(key, v.rev) })
    }
    return out
  }

  /**
   * etcd's compaction: per key keep the newest version at or below `rev` (unless it is a
   * tombstone) and everything above it. Returns the dropped versions (storage rows to delete).
   */
  compact(rev: number): Version[] {
    this.trimLog(rev)
    const dropped: Version[] = []
    for (const part of this.compactSteps(rev, Number.POSITIVE_INFINITY)) dropped.push(...part)
    return dropped
  }

  /**
   * Forgets the write log below `rev`. As etcd (watchable_store: only `minRev < compactRev` is
   * refused), a watch may still start at the compact revision itself: its puts survive compaction
   * as the newest version at or below it, while its deletes are dropped with their tombstones.
   */
  trimLog(rev: number): void {
    let lo = 0
    let hi = this.log.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.log[mid].v.rev < rev) lo = mid + 1
      else hi = mid
    }
    this.log.splice(0, lo)
    this.log = this.log.filter((e) => e.v.rev !== rev || !isTombstone(e.v))
  }

  /**
   * The per-key part of compact, `keysPerStep` keys at a time so the caller can yield between
   * steps. Safe to interleave with writes: it only removes versions no read may ask for
   * (reads below the compact revision are refused) and Map iteration tolerates changes.
   */
  *compactSteps(rev: number, keysPerStep: number): Generator<Version[]> {
    let dropped: Version[] = []
    let n = 0
    for (const [key, vs] of this.versions) {
      const i = lastAtOrBelow(vs, rev)
      const cut = i < 0 ? 0 : isTombstone(vs[i]) ? i + 1 : i
      if (cut > 0) {
        for (let j = 0; j < cut; j++) dropped.push(vs[j])
        vs.splice(0, cut)
        if (!vs.length) {
          this.versions.delete(key)
          this.keys.remove(key)
        }
      }
      if (++n >= keysPerStep) {
        yield dropped
        dropped = []
        n = 0
      }
    }
    yield dropped
  }

  /** Every live key at the head with its newest version (lease scans, status). */
  *live(): Generator<LogEntry> {
    for (const [key, vs] of this.versions) {
      const v = vs[vs.length - 1]
      if (!isTombstone(v)) yield { key, v }
    }
  }

  /** Visits every stored version (size accounting). */
  *all(): Generator<LogEntry> {
    for (const [key, vs] of this.versions) for (const v of vs) yield { key, v }
  }
}

/** Index of the last version with rev <= `rev`, -1 if none. */
function lastAtOrBelow(vs: Version[], rev: number): number {
  let lo = 0
  let hi = vs.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (vs[mid].rev <= rev) lo = mid + 1
    else hi = mid
  }
  return lo - 1
}
