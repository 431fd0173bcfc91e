// etcd's key/range_end convention, as in mvcc's Range: an empty range_end means the single key,
// "\0" means every key >= key, anything else the half-open interval [key, range_end).

export function isSingleKey(rangeEnd: string | undefined): boolean {
  return rangeEnd === undefined || rangeEnd === ''
}

export function inRange(k: string, key: string, rangeEnd: string | undefined): boolean {
  if (isSingleKey(rangeEnd)) return k === key
  if (rangeEnd === '\0') return k >= key
  return k >= key && k < (rangeEnd as string)
}

/** True once `k` (visited in ascending order from `key`) has left the range. */
export function pastEnd(k: string, rangeEnd: string | undefined): boolean {
  if (rangeEnd === '\0') return false
  return k >= (rangeEnd as string)
}
