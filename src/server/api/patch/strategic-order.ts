// Element order of merged lists in strategic merge patch, as apimachinery's strategicpatch does it
// (normalizeElementOrder / mergeSortedSlice): items named by the patch follow the patch's order (or its
// $setElementOrder list), items only on the server keep their relative live order, and the two sequences
// are interleaved using the live order as the tie-breaker.
import { deepEqual, isObject } from './json-value.ts'

/** Identity of a list element: its merge-key value for lists of maps, the value itself for scalars. */
export const identity = (item: unknown, mergeKey: string | undefined): unknown =>
  mergeKey && isObject(item) ? item[mergeKey] : item

export function indexIn(list: unknown[], item: unknown, mergeKey: string | undefined): number {
  const id = identity(item, mergeKey)
  return list.findIndex((x) => deepEqual(identity(x, mergeKey), id))
}

/** Splits `merged` into the items present in `order` and those only on the server. */
export function partition(merged: unknown[], order: unknown[], mergeKey: string | undefined) {
  const named: unknown[] = []
  const serverOnly: unknown[] = []
  for (const item of merged) (indexIn(order, item, mergeKey) >= 0 ? named : serverOnly).push(item)
  return { named, serverOnly }
}

/** Stable sort by position in `order`; items `order` does not name keep their order at the end. */
function sortBy(items: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const found = items.filter((i) => indexIn(order, i, mergeKey) >= 0)
  const rest = items.filter((i) => indexIn(order, i, mergeKey) < 0)
  found.sort((a, b) => indexIn(order, a, mergeKey) - indexIn(order, b, mergeKey))
  return [...found, ...rest]
}

export function normalizeElementOrder(
  named: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string | undefined,
): unknown[] {
  const right = sortBy(named, patchOrder, mergeKey)
  const left = sortBy(serverOnly, serverOrder, mergeKey)
  // Insert each server-only item before the first patch item that comes after it in the live list.
  const out: unknown[] = []
  let i = 0
  let j = 0
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++])
    else if (j >= right.length) out.push(left[i++])
    else {
      const li = indexIn(serverOrder, left[i], mergeKey)
      const ri = indexIn(serverOrder, right[j], mergeKey)
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++])
      else out.push(right[j++])
    }
  }
  return out
}
