// Reads the patch metadata that strategic merge patch and server-side apply need from a JsonSchema:
// the same x-kubernetes-* extensions upstream's OpenAPI carries (see registry/types.ts JsonSchema).
import type { JsonSchema } from '../../registry/types.ts'
import { isObject } from './json-value.ts'

/** A schema wrapped in allOf/anyOf (how some generators inline a shared type) is read through its first branch. */
function unwrap(s: JsonSchema | undefined): JsonSchema | undefined {
  if (!s) return s
  if (!s.properties && !s.items && s.allOf?.length === 1) return { ...s.allOf[0], ...s, allOf: undefined }
  return s
}

/** The schema of `key` in an object schema: a declared property, else the additionalProperties schema. */
export function fieldSchema(s: JsonSchema | undefined, key: string): JsonSchema | undefined {
  const u = unwrap(s)
  if (!u) return undefined
  if (u.properties && Object.hasOwn(u.properties, key)) return u.properties[key]
  return isObject(u.additionalProperties) ? (u.additionalProperties as JsonSchema) : undefined
}

export const itemSchema = (s: JsonSchema | undefined): JsonSchema | undefined => unwrap(s)?.items

/** `x-kubernetes-patch-strategy: "merge,retainKeys"` → ['merge', 'retainKeys'] */
export function patchStrategies(s: JsonSchema | undefined): string[] {
  const v = unwrap(s)?.['x-kubernetes-patch-strategy']
  return typeof v === 'string' ? v.split(',').map((x) => x.trim()) : []
}

export function patchMergeKey(s: JsonSchema | undefined): string | undefined {
  const v = unwrap(s)?.['x-kubernetes-patch-merge-key']
  return typeof v === 'string' && v ? v : undefined
}

/** How server-side apply treats a list, as structured-merge-diff derives it from OpenAPI:
 * x-kubernetes-list-type wins; otherwise a strategic `merge` list is associative by its merge key
 * (or a set when it holds scalars); every other list is atomic. */
export type ListKind = { type: 'atomic' } | { type: 'set' } | { type: 'map'; keys: string[] }

export function listKind(s: JsonSchema | undefined): ListKind {
  const u = unwrap(s)
  if (!u) return { type: 'atomic' }
  const declared = u['x-kubernetes-list-type']
  const mapKeys = u['x-kubernetes-list-map-keys']
  const mergeKey = patchMergeKey(u)
  const keys = Array.isArray(mapKeys) && mapKeys.length ? (mapKeys as string[]) : mergeKey ? [mergeKey] : []
  if (declared === 'atomic') return { type: 'atomic' }
  if (declared === 'set') return { type: 'set' }
  if (declared === 'map') return keys.length ? { type: 'map', keys } : { type: 'atomic' }
  if (patchStrategies(u).includes('merge')) return keys.length ? { type: 'map', keys } : { type: 'set' }
  return { type: 'atomic' }
}

/** `x-kubernetes-map-type: atomic` (e.g. LabelSelector) is owned and replaced as one value. */
export const isAtomicMap = (s: JsonSchema | undefined) => unwrap(s)?.['x-kubernetes-map-type'] === 'atomic'

/** Upstream's OpenAPI v3 defaults the `protocol` key of container and service ports to "TCP"; schemas
 * generated without defaults must still key `{containerPort: 80}` as `k:{"containerPort":80,"protocol":"TCP"}`. */
const KNOWN_KEY_DEFAULTS: Record<string, unknown> = { protocol: 'TCP' }

/** Default of a list-map key field, used when an item omits it (structured-merge-diff fills key defaults). */
export const keyDefault = (item: JsonSchema | undefined, key: string) =>
  fieldSchema(item, key)?.default ?? KNOWN_KEY_DEFAULTS[key]
