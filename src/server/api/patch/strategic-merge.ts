// Kubernetes strategic merge patch, applied server side, following apimachinery's strategicpatch
// (StrategicMergeMapPatch with MergeParallelList and IgnoreUnmatchedNulls): maps merge recursively,
// `null` deletes a field, lists whose schema says `x-kubernetes-patch-strategy: merge` merge by their
// `x-kubernetes-patch-merge-key` (or as a set of scalars, e.g. finalizers), all other lists are replaced.
// Directives: `$patch: replace|delete` (maps and list items), `$retainKeys`, `$setElementOrder/<list>`,
// `$deleteFromPrimitiveList/<list>`. Fields the schema does not know merge like a JSON merge patch.
import type { JsonSchema } from '../../registry/types.ts'
import { patchBadRequest, patchUnprocessable } from './errors.ts'
import { clone, deepEqual, isObject, type JsonObject } from './json-value.ts'
import { fieldSchema, itemSchema, patchMergeKey, patchStrategies } from './schema-meta.ts'
import { indexIn, normalizeElementOrder, partition } from './strategic-order.ts'

const DIRECTIVE = '$patch'
const RETAIN_KEYS = '$retainKeys'
const SET_ORDER = '$setElementOrder/'
const DELETE_FROM = '$deleteFromPrimitiveList/'

/** Returns `original` with `patch` applied; neither input is mutated. Throws PatchError (400/422). */
export function applyStrategicMergePatch<T>(original: T, patch: unknown, schema?: JsonSchema): T {
  if (!isObject(patch)) throw patchBadRequest('invalid JSON document: a strategic merge patch must be a JSON object')
  const base = isObject(original) ? clone(original) : {}
  return (mergeMap(base, clone(patch), schema) ?? {}) as T
}

/** Merges `patch` into `original` (both owned copies, mutated). `undefined` means "delete this map". */
function mergeMap(original: JsonObject, patch: JsonObject, schema: JsonSchema | undefined): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE)) {
    const directive = patch[DIRECTIVE]
    delete patch[DIRECTIVE]
    // Upstream (handleDirectiveInMergeMap): replace takes the patch as the whole value, delete empties it.
    if (directive === 'replace') return mergeMap({}, patch, schema)
    if (directive === 'delete') return {}
    throw patchUnprocessable(`Unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`)
  }
  applyRetainKeys(original, patch)
  mergeOrderedLists(original, patch, schema)

  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM)) {
      const field = key.slice(DELETE_FROM.length)
      if (!Array.isArray(value)) throw patchBadRequest('invalid patch format of primitive list')
      if (Array.isArray(original[field]))
        original[field] = original[field].filter((x: unknown) => !value.some((d) => deepEqual(d, x)))
      continue
    }
    if (value === null) {
      delete original[key]
      continue
    }
    const sub = fieldSchema(schema, key)
    const current = original[key]
    const sameShape =
      current !== undefined && Array.isArray(current) === Array.isArray(value) && isObject(current) === isObject(value)
    if (!sameShape) {
      const fresh = normalizeNew(value, sub)
      if (fresh === undefined) delete original[key]
      else original[key] = fresh
      continue
    }
    const strategies = patchStrategies(sub)
    if (isObject(value))
      original[key] = strategies.includes('replace') ? normalizeNew(value, sub) : mergeMap(current, value, sub)
    else if (Array.isArray(value))
      original[key] = strategies.includes('merge') ? mergeList(current, value, sub) : clone(value)
    else original[key] = value
  }
  return original
}

/** A patch value for a field the original lacks: directives are stripped and nulls dropped (removeDirectives). */
function normalizeNew(value: unknown, schema: JsonSchema | undefined): unknown {
  if (isObject(value)) {
    if (value[DIRECTIVE] === 'delete') return undefined
    return mergeMap({}, value, schema)
  }
  if (Array.isArray(value) && patchStrategies(schema).includes('merge')) return mergeList([], value, schema)
  return value
}

/** `$retainKeys: [a, b]` clears every other field of the original (the retainKeys patch strategy, e.g. volumes). */
function applyRetainKeys(original: JsonObject, patch: JsonObject) {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return
  const keep = patch[RETAIN_KEYS]
  delete patch[RETAIN_KEYS]
  if (!Array.isArray(keep)) throw patchBadRequest('invalid patch format of retainKeys')
  for (const [k, v] of Object.entries(patch))
    if (!k.startsWith('$') && v !== null && !keep.includes(k))
      throw patchUnprocessable("patch content doesn't match retainKeys list")
  for (const k of Object.keys(original)) if (!keep.includes(k)) delete original[k]
}

/** Handles every `$setElementOrder/<list>` together with its list: merge, then order as the directive says. */
function mergeOrderedLists(original: JsonObject, patch: JsonObject, schema: JsonSchema | undefined) {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ORDER)) continue
    const order = patch[key]
    delete patch[key]
    if (!Array.isArray(order)) throw patchBadRequest('invalid patch format of setElementOrder list')
    const field = key.slice(SET_ORDER.length)
    const sub = fieldSchema(schema, field)
    const mergeKey = patchMergeKey(sub)
    const live = Array.isArray(original[field]) ? (original[field] as unknown[]) : undefined
    const patchList = Array.isArray(patch[field]) ? (patch[field] as unknown[]) : undefined
    if (patchList)
      for (const item of patchList)
        if (item === null || (isObject(item) && item[DIRECTIVE] === undefined && indexIn(order, item, mergeKey) < 0))
          throw patchBadRequest('invalid patch format of setElementOrder list')
    if (!live && !patchList) continue
    let merged: unknown[]
    if (live && patchList)
      merged = patchStrategies(sub).includes('merge') ? mergeList(live, patchList, sub) : clone(patchList)
    else if (patchList) merged = normalizeNew(patchList, sub) as unknown[]
    else merged = live!
    const { named, serverOnly } = partition(merged, order, mergeKey)
    original[field] = normalizeElementOrder(named, serverOnly, order, live ?? [], mergeKey)
    delete patch[field]
  }
}

/** mergeSlice: scalars union (deduplicated), maps by merge key with `$patch` items honoured. */
function mergeList(original: unknown[], patch: unknown[], schema: JsonSchema | undefined): unknown[] {
  if (original.length === 0 && patch.length === 0) return original
  const mergeKey = patchMergeKey(schema)
  const ofMaps = [...original, ...patch].some(isObject)
  if (!ofMaps) {
    const merged: unknown[] = []
    for (const v of [...original, ...patch]) if (!merged.some((m) => deepEqual(m, v))) merged.push(v)
    const { named, serverOnly } = partition(merged, patch, undefined)
    return normalizeElementOrder(named, serverOnly, patch, original, undefined)
  }
  if (!mergeKey) throw patchUnprocessable('cannot merge lists without merge key')
  const items = itemSchema(schema)

  let base = original
  let plain: JsonObject[] = []
  let replace = false
  for (const item of patch) {
    if (!isObject(item)) throw patchUnprocessable(`expected a map in list, got ${JSON.stringify(item)}`)
    if (!Object.hasOwn(item, DIRECTIVE)) {
      plain.push(item)
      continue
    }
    const directive = item[DIRECTIVE]
    if (directive === 'delete') {
      if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey)
      base = base.filter((x) => !(isObject(x) && deepEqual(x[mergeKey], item[mergeKey])))
    } else if (directive === 'replace') replace = true
    else if (directive === 'merge') throw patchUnprocessable('merging lists cannot yet be specified in the patch')
    else throw patchUnprocessable(`Unknown patch type: ${String(directive)} in map: ${JSON.stringify(item)}`)
  }
  if (replace) {
    // `{"$patch":"replace"}` in a list: the remaining patch items become the whole list.
    base = plain.map((p) => mergeMap({}, p, items))
    plain = []
  }

  const merged = [...base]
  for (const item of plain) {
    if (!Object.hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey)
    const at = indexIn(merged, item, mergeKey)
    if (at >= 0) merged[at] = mergeMap(isObject(merged[at]) ? merged[at] : {}, item, items)
    else merged.push(mergeMap({}, item, items))
  }
  const { named, serverOnly } = partition(merged, plain, mergeKey)
  return normalizeElementOrder(named, serverOnly, plain, base, mergeKey)
}

const noMergeKey = (item: JsonObject, mergeKey: string) =>
  patchUnprocessable(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`)
