// Structural validation of an object against its JsonSchema, as kube-apiserver's decoder plus the
// apiextensions structural-schema validator do it: types, required, enums, value limits, list-type
// uniqueness, and unknown fields (returned, so the caller applies fieldValidation: Strict → error,
// Warn → warning, Ignore → dropped). The same code serves built-in kinds and CRD openAPIV3Schemas.
import type { FieldError, JsonSchema } from './types.ts'
import { duplicate, invalid, notSupported, required, show, typeInvalid } from './validation/field-errors.ts'

export interface StructuralResult {
  errors: FieldError[]
  /** Paths of fields the schema does not declare, e.g. `spec.foo`, `spec.containers[0].bar` (document order). */
  unknownFields: string[]
}

export interface StructuralOptions {
  /** Delete unknown fields from the object (fieldValidation Ignore/Warn, and CRD pruning). */
  prune?: boolean
}

const typeOf = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'array'
      : typeof v === 'number'
        ? Number.isInteger(v)
          ? 'integer'
          : 'number'
        : typeof v === 'object'
          ? 'object'
          : typeof v

// resource.Quantity's accepted syntax (apimachinery/pkg/api/resource).
const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/

const join = (path: string, key: string) => (path ? `${path}.${key}` : key)

export function validateStructure(obj: unknown, schema: JsonSchema | undefined, opts: StructuralOptions = {}) {
  const res: StructuralResult = { errors: [], unknownFields: [] }
  if (schema) walk(obj, schema, '', res, opts)
  return res
}

function matchesType(v: unknown, s: JsonSchema): boolean {
  if (s['x-kubernetes-int-or-string']) return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v))
  const t = typeOf(v)
  switch (s.type) {
    case undefined:
      return true
    case 'number':
      return t === 'number' || t === 'integer'
    default:
      return t === s.type
  }
}

function walk(v: unknown, s: JsonSchema, path: string, res: StructuralResult, opts: StructuralOptions): void {
  // JSON null means "unset" to the Kubernetes decoder unless the schema says otherwise.
  if (v === null) {
    if (s.nullable === false && s.type)
      res.errors.push(typeInvalid(path, 'null', `${path} in body must be of type ${s.type}: "null"`))
    return
  }
  if (!matchesType(v, s)) {
    const got = typeOf(v)
    const want = s['x-kubernetes-int-or-string'] ? 'integer,string' : s.type
    res.errors.push(typeInvalid(path, got, `${path} in body must be of type ${want}: "${got}"`))
    return
  }
  if (s.enum && !s.enum.some((e) => e === v)) res.errors.push(notSupported(path, v, s.enum.map(String)))
  if (s.format === 'quantity' && typeof v === 'string' && !QUANTITY.test(v))
    res.errors.push(
      invalid(path, v, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
    )
  checkLimits(v, s, path, res)
  for (const sub of s.allOf ?? []) walk(v, sub, path, { errors: res.errors, unknownFields: [] }, {})
  if (s.anyOf?.length && !s.anyOf.some((sub) => valueValid(v, sub)))
    res.errors.push(invalid(path, v, 'must validate at least one schema (anyOf)'))
  if (s.oneOf?.length && s.oneOf.filter((sub) => valueValid(v, sub)).length !== 1)
    res.errors.push(invalid(path, v, 'must validate one and only one schema (oneOf)'))
  if (s.not && valueValid(v, s.not)) res.errors.push(invalid(path, v, 'must not validate the schema (not)'))

  if (Array.isArray(v)) {
    const items = s.items
    if (items) for (let i = 0; i < v.length; i++) walk(v[i], items, `${path}[${i}]`, res, opts)
    checkListType(v, s, path, res)
  } else if (typeof v === 'object') {
    walkObject(v as Record<string, unknown>, s, path, res, opts)
  }
}

function walkObject(
  o: Record<string, unknown>,
  s: JsonSchema,
  path: string,
  res: StructuralResult,
  opts: StructuralOptions,
) {
  const props = s.properties
  const extra = s.additionalProperties
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true
  for (const key of Object.keys(o)) {
    const child = props?.[key]
    if (child) walk(o[key], child, join(path, key), res, opts)
    else if (typeof extra === 'object') walk(o[key], extra, `${path}[${key}]`, res, opts)
    else if (extra === true || preserve) continue
    // An embedded resource (or any root) always knows apiVersion/kind/metadata.
    else if (s['x-kubernetes-embedded-resource'] && (key === 'apiVersion' || key === 'kind' || key === 'metadata'))
      continue
    else {
      res.unknownFields.push(join(path, key))
      if (opts.prune) delete o[key]
    }
  }
  for (const r of s.required ?? []) if (o[r] === undefined || o[r] === null) res.errors.push(required(join(path, r)))
}

/** Value-only check used for anyOf/oneOf/not (no unknown-field reporting). */
function valueValid(v: unknown, s: JsonSchema): boolean {
  const r: StructuralResult = { errors: [], unknownFields: [] }
  walk(v, s, '', r, {})
  return r.errors.length === 0
}

function checkLimits(v: unknown, s: JsonSchema, path: string, res: StructuralResult) {
  const at = path || '<root>'
  if (typeof v === 'number') {
    if (s.minimum !== undefined && v < s.minimum)
      res.errors.push(invalid(path, v, `${at} in body should be greater than or equal to ${s.minimum}`))
    if (s.maximum !== undefined && v > s.maximum)
      res.errors.push(invalid(path, v, `${at} in body should be less than or equal to ${s.maximum}`))
  } else if (typeof v === 'string') {
    const len = [...v].length
    if (s.minLength !== undefined && len < s.minLength)
      res.errors.push(invalid(path, v, `${at} in body should be at least ${s.minLength} chars long`))
    if (s.maxLength !== undefined && len > s.maxLength)
      res.errors.push({
        type: 'FieldValueTooLong',
        field: path,
        message: `Too long: may not be more than ${s.maxLength} bytes`,
      })
    if (s.pattern !== undefined && !safeRegex(s.pattern)?.test(v))
      res.errors.push(invalid(path, v, `${at} in body should match '${s.pattern}'`))
  } else if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems)
      res.errors.push(invalid(path, v.length, `${at} in body should have at least ${s.minItems} items`))
    if (s.maxItems !== undefined && v.length > s.maxItems)
      res.errors.push({
        type: 'FieldValueTooLong',
        field: path,
        message: `Too many: ${v.length}: must have at most ${s.maxItems} items`,
      })
  }
}

const regexCache = new Map<string, RegExp | undefined>()
function safeRegex(p: string): RegExp | undefined {
  if (!regexCache.has(p)) {
    try {
      regexCache.set(p, new RegExp(p, 'u'))
    } catch {
      regexCache.set(p, undefined)
    }
  }
  return regexCache.get(p)
}

/** x-kubernetes-list-type set/map: no duplicate items / keys (upstream "Duplicate value"). */
function checkListType(v: unknown[], s: JsonSchema, path: string, res: StructuralResult) {
  const type = s['x-kubernetes-list-type']
  if (type !== 'set' && type !== 'map') return
  const keys = (s['x-kubernetes-list-map-keys'] as string[] | undefined) ?? []
  const seen = new Set<string>()
  for (let i = 0; i < v.length; i++) {
    const item = v[i]
    if (item === null || item === undefined) continue
    const id =
      type === 'set'
        ? JSON.stringify(item)
        : JSON.stringify(keys.map((k) => (item as Record<string, unknown>)[k] ?? null))
    if (seen.has(id)) {
      const shown =
        type === 'set' ? item : Object.fromEntries(keys.map((k) => [k, (item as Record<string, unknown>)[k]]))
      res.errors.push(duplicate(`${path}[${i}]`, shown))
    }
    seen.add(id)
  }
}

/** Upstream wording for an unknown field in Warn mode (and inside the Strict error). */
export const unknownFieldMessage = (path: string) => `unknown field "${path}"`
/** Upstream wording for a duplicate field found by findDuplicateKeys. */
export const duplicateFieldMessage = (path: string) => `duplicate field "${path}"`

export { show }
