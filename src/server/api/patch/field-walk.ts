// Schema-driven walks over objects for server-side apply, as structured-merge-diff's typed values do:
// field sets of an object (ToFieldSet), the difference between two objects (Compare), merging an applied
// configuration into the live object (Merge) and removing owned items (RemoveItems).
// Granular maps are walked field by field; lists are associative (by key fields), sets, or atomic;
// atomic maps/lists and scalars are leaves.
import type { JsonSchema } from '../../registry/types.ts'
import { FieldSet } from './field-set.ts'
import { canonicalJson, clone, deepEqual, isObject, type JsonObject } from './json-value.ts'
import { fieldSchema, isAtomicMap, itemSchema, keyDefault, listKind } from './schema-meta.ts'

type Node = 'map' | 'list' | 'leaf'

function nodeOf(v: unknown, s: JsonSchema | undefined): Node {
  if (Array.isArray(v)) return listKind(s).type === 'atomic' ? 'leaf' : 'list'
  if (isObject(v)) return isAtomicMap(s) ? 'leaf' : 'map'
  return 'leaf'
}

/** The path element of item `i` of a non-atomic list: `k:{...}` for associative lists, `v:` for sets. */
export function itemElement(item: unknown, i: number, s: JsonSchema | undefined): string {
  const kind = listKind(s)
  if (kind.type === 'set') return `v:${canonicalJson(item)}`
  if (kind.type === 'map' && isObject(item)) {
    const key: JsonObject = {}
    for (const k of kind.keys) {
      const v = Object.hasOwn(item, k) ? item[k] : keyDefault(itemSchema(s), k)
      if (v !== undefined) key[k] = v
    }
    if (Object.keys(key).length) return `k:${canonicalJson(key)}`
  }
  return `i:${i}`
}

/** Items of a list keyed by path element, in list order (later duplicates win, as a map would). */
function itemsByElement(list: unknown[], s: JsonSchema | undefined): Map<string, unknown> {
  const out = new Map<string, unknown>()
  list.forEach((item, i) => {
    out.set(itemElement(item, i, s), item)
  })
  return out
}

/** The path of the first repeated item of an associative list or set, if any. */
export function duplicateItems(
  value: unknown,
  schema: JsonSchema | undefined,
  path: string[] = [],
): string[] | undefined {
  const node = nodeOf(value, schema)
  if (node === 'map') {
    for (const [k, v] of Object.entries(value as JsonObject)) {
      const dup = duplicateItems(v, fieldSchema(schema, k), [...path, `f:${k}`])
      if (dup) return dup
    }
  } else if (node === 'list') {
    const seen = new Set<string>()
    const list = value as unknown[]
    for (let i = 0; i < list.length; i++) {
      const pe = itemElement(list[i], i, schema)
      if (seen.has(pe)) return [...path, pe]
      seen.add(pe)
      const dup = duplicateItems(list[i], itemSchema(schema), [...path, pe])
      if (dup) return dup
    }
  }
  return undefined
}

/** ToFieldSet: every leaf, every list item, and map entries that are empty, null or not declared fields. */
export function toFieldSet(value: unknown, schema: JsonSchema | undefined): FieldSet {
  const set = new FieldSet()
  const path: string[] = [] // one shared stack: walks allocate no path per node
  const walk = (v: unknown, s: JsonSchema | undefined) => {
    const node = nodeOf(v, s)
    if (node === 'leaf') {
      if (path.length) set.insert(path)
    } else if (node === 'map') {
      for (const [k, child] of Object.entries(v as JsonObject)) {
        path.push(`f:${k}`)
        walk(child, fieldSchema(s, k))
        const declared = !!s?.properties && Object.hasOwn(s.properties, k)
        if (child === null || (isObject(child) && Object.keys(child).length === 0) || !declared) set.insert(path)
        path.pop()
      }
    } else {
      const list = v as unknown[]
      for (let i = 0; i < list.length; i++) {
        path.push(itemElement(list[i], i, s))
        walk(list[i], itemSchema(s))
        set.insert(path)
        path.pop()
      }
    }
  }
  walk(value, schema)
  return set
}

export interface Comparison {
  added: FieldSet
  modified: FieldSet
  removed: FieldSet
}

const isEmptyish = (v: unknown) =>
  v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0)

/** Compare: which paths `rhs` adds, changes or removes relative to `lhs` (`undefined` = absent). */
export function compare(lhs: unknown, rhs: unknown, schema: JsonSchema | undefined): Comparison {
  const out: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() }
  const path: string[] = []
  const mark = (set: FieldSet) => path.length && set.insert(path)
  const walk = (l: unknown, r: unknown, s: JsonSchema | undefined) => {
    const ln = l === undefined ? undefined : nodeOf(l, s)
    const rn = r === undefined ? undefined : nodeOf(r, s)
    const node = rn ?? ln
    // Different shapes, leaves, and empty-vs-empty containers compare as leaves (keeps the null/{} distinction).
    if ((ln && rn && ln !== rn) || node === 'leaf' || (isEmptyish(l) && isEmptyish(r))) {
      if (l === undefined && r !== undefined) mark(out.added)
      else if (l !== undefined && r === undefined) mark(out.removed)
      else if (!deepEqual(l, r)) mark(out.modified)
      return
    }
    if (l === undefined) mark(out.added)
    if (r === undefined) mark(out.removed)
    if (node === 'map') {
      const lo = (l ?? {}) as JsonObject
      const ro = (r ?? {}) as JsonObject
      for (const k of new Set([...Object.keys(lo), ...Object.keys(ro)])) {
        path.push(`f:${k}`)
        walk(lo[k], ro[k], fieldSchema(s, k))
        path.pop()
      }
    } else {
      const li = itemsByElement((l ?? []) as unknown[], s)
      const ri = itemsByElement((r ?? []) as unknown[], s)
      for (const pe of new Set([...li.keys(), ...ri.keys()])) {
        path.push(pe)
        walk(li.get(pe), ri.get(pe), itemSchema(s))
        path.pop()
      }
    }
  }
  walk(lhs, rhs, schema)
  return out
}

/** Merge: the applied configuration `rhs` over the live `lhs`. Granular maps merge per field, associative
 * lists and sets per item (live order, shared items where the configuration puts them), leaves take `rhs`. */
export function merge(lhs: unknown, rhs: unknown, schema: JsonSchema | undefined): unknown {
  if (rhs === undefined) return clone(lhs)
  if (lhs === undefined) return clone(rhs)
  const node = nodeOf(rhs, schema)
  if (node === 'leaf' || nodeOf(lhs, schema) !== node) return clone(rhs)
  if (node === 'map') {
    const out: JsonObject = {}
    const lo = lhs as JsonObject
    const ro = rhs as JsonObject
    for (const k of new Set([...Object.keys(lo), ...Object.keys(ro)]))
      out[k] = merge(lo[k], ro[k], fieldSchema(schema, k))
    return out
  }
  // Live-only items keep their place (every occurrence, should the live list repeat a key); items the
  // configuration names come in its order. A key repeated in the live list is replaced by the applied item.
  const item = itemSchema(schema)
  const lEntries = (lhs as unknown[]).map((it, i) => [itemElement(it, i, schema), it] as const)
  const lFirst = new Map<string, unknown>()
  const lCount = new Map<string, number>()
  for (const [pe, it] of lEntries) {
    if (!lFirst.has(pe)) lFirst.set(pe, it)
    lCount.set(pe, (lCount.get(pe) ?? 0) + 1)
  }
  const rItems = itemsByElement(rhs as unknown[], schema)
  const rKeys = [...rItems.keys()]
  const out: unknown[] = []
  const done = new Set<string>()
  let i = 0
  let j = 0
  while (i < lEntries.length || j < rKeys.length) {
    const lk = lEntries[i]?.[0]
    const rk = rKeys[j]
    if (lk !== undefined && (done.has(lk) || !rItems.has(lk))) {
      if (!done.has(lk)) out.push(clone(lEntries[i][1]))
      i++
      continue
    }
    if (rk === undefined) break
    out.push(merge(lCount.get(rk) === 1 ? lFirst.get(rk) : undefined, rItems.get(rk), item))
    done.add(rk)
    j++
    if (lk === rk) i++
  }
  return out
}

/** RemoveItems: a copy of `value` without the members of `set` (a member removes its whole subtree). */
export function removeItems(value: unknown, set: FieldSet, schema: JsonSchema | undefined): unknown {
  const node = nodeOf(value, schema)
  if (node === 'map') {
    const out: JsonObject = {}
    for (const [k, v] of Object.entries(value as JsonObject)) {
      const child = set.children.get(`f:${k}`)
      if (child?.member) continue
      out[k] = child ? removeItems(v, child, fieldSchema(schema, k)) : clone(v)
    }
    return out
  }
  if (node === 'list') {
    const out: unknown[] = []
    ;(value as unknown[]).forEach((item, i) => {
      const child = set.children.get(itemElement(item, i, schema))
      if (child?.member) return
      out.push(child ? removeItems(item, child, itemSchema(schema)) : clone(item))
    })
    return out
  }
  return clone(value)
}

/** EnsureNamedFieldsAreMembers: declared fields above a member become members themselves, map keys do not. */
export function withNamedFields(set: FieldSet, schema: JsonSchema | undefined): FieldSet {
  const out = set.clone()
  const walk = (node: FieldSet, s: JsonSchema | undefined) => {
    for (const [pe, child] of node.children) {
      const name = pe.startsWith('f:') ? pe.slice(2) : undefined
      const named = name !== undefined && (!s?.properties || Object.hasOwn(s.properties, name))
      if (named && !child.empty) child.member = true
      walk(child, name !== undefined ? fieldSchema(s, name) : itemSchema(s))
    }
  }
  walk(out, schema)
  return out
}

/** Drops `null` map entries left by an applied configuration (typed objects cannot hold them). */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls)
  if (!isObject(value)) return value
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v)
  return out
}
