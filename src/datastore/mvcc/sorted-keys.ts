// An ordered set of binary-string keys: sorted chunks (a two-level B-tree), so inserting into
// 500k keys stays O(sqrt n)-ish instead of shifting one big array. JS `<` on strings compares
// UTF-16 code units, which for 1-byte chars is byte order, as etcd's.

const MAX_CHUNK = 512

export class SortedKeys {
  private chunks: string[][] = []
  size = 0

  /** Index of the chunk that holds `key` or where it belongs. */
  private chunkFor(key: string): number {
    let lo = 0
    let hi = this.chunks.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      const c = this.chunks[mid]
      if (c[c.length - 1] < key) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  has(key: string): boolean {
    if (!this.chunks.length) return false
    const c = this.chunks[this.chunkFor(key)]
    const i = lowerBound(c, key)
    return c[i] === key
  }

  /** Returns false if the key was already present. */
  insert(key: string): boolean {
    if (!this.chunks.length) {
      this.chunks.push([key])
      this.size = 1
      return true
    }
    const ci = this.chunkFor(key)
    const c = this.chunks[ci]
    const i = lowerBound(c, key)
    if (c[i] === key) return false
    c.splice(i, 0, key)
    this.size++
    if (c.length > MAX_CHUNK) this.chunks.splice(ci, 1, c.slice(0, c.length >> 1), c.slice(c.length >> 1))
    return true
  }

  remove(key: string): boolean {
    if (!this.chunks.length) return false
    const ci = this.chunkFor(key)
    const c = this.chunks[ci]
    const i = lowerBound(c, key)
    if (c[i] !== key) return false
    c.splice(i, 1)
    this.size--
    if (!c.length) this.chunks.splice(ci, 1)
    return true
  }

  /** Calls `fn` with keys >= start in ascending order until it returns false (no generator: hot path). */
  scan(start: string, fn: (key: string) => boolean): void {
    if (!this.chunks.length) return
    let ci = this.chunkFor(start)
    let i = lowerBound(this.chunks[ci], start)
    for (; ci < this.chunks.length; ci++, i = 0) {
      const c = this.chunks[ci]
      for (; i < c.length; i++) if (!fn(c[i])) return
    }
  }

  /** Keys >= start in ascending order. */
  *from(start: string): Generator<string> {
    if (!this.chunks.length) return
    let ci = this.chunkFor(start)
    let i = lowerBound(this.chunks[ci], start)
    for (; ci < this.chunks.length; ci++, i = 0) {
      const c = this.chunks[ci]
      for (; i < c.length; i++) yield c[i]
    }
  }
}

function lowerBound(arr: string[], key: string): number {
  let lo = 0
  let hi = arr.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (arr[mid] < key) lo = mid + 1
    else hi = mid
  }
  return lo
}
