// Defaulting and validation of an object about to be written, in upstream's order: decode (unknown
// fields handled per fieldValidation, wrong types refused) → defaults → the verb's own preparation →
// validation (the kind's semantic hooks + the schema's required/enum/limit rules) → 422 Invalid.
import { ApiError, invalid } from '../../../shared/errors.ts'
import type { PatchType } from '../../client/types.ts'
import type { FieldError, KubeObject, ResourceDef } from '../../registry/types.ts'
import { unknownFieldMessage, validateStructure } from '../../registry/validate.ts'
import { goUnmarshalError } from './go-decode-error.ts'
import { isBuiltinGroup } from './keys.ts'
import type { RequestContext } from './types.ts'

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore'

/** The PATCH that produced the object being decoded: upstream words strict errors differently there. */
export interface PatchSource {
  type: PatchType
  body: unknown
}

/** The structural schema check (the registry's validateStructure); replaceable in tests. */
export type SchemaValidator = (
  obj: KubeObject,
  def: ResourceDef,
  prune: boolean,
) => { errors: FieldError[]; unknownFields: string[] }

const defaultValidator: SchemaValidator = (obj, def, prune) => validateStructure(obj, def.schema, { prune })

export interface ObjectAdmission {
  /** unknown fields per fieldValidation, wrong types → 422, then the kind's defaults. Mutates obj. */
  decode(def: ResourceDef, obj: KubeObject, ctx: RequestContext | undefined, patch?: PatchSource): void
  /** semantic + schema validation; throws 422 Invalid */
  validate(def: ResourceDef, obj: KubeObject, old: KubeObject | undefined, ctx: RequestContext | undefined): void
}

export function objectAdmission(schemaValidator: SchemaValidator = defaultValidator): ObjectAdmission {
  return {
    decode(def, obj, ctx, patch) {
      if (def.schema) {
        // upstream's default for requests that do not say is Warn; unknown fields never reach storage
        const mode: FieldValidation = ctx?.fieldValidation ?? 'Warn'
        const { errors, unknownFields } = schemaValidator(obj, def, mode !== 'Strict')
        // a built-in kind's body is decoded into Go structs first: a wrong type fails there, before any
        // strict-field or validation error, worded by the JSON decoder
        const typeError = errors.find((e) => e.type === 'FieldValueTypeInvalid')
        const go = typeError && isBuiltinGroup(def.group) && goUnmarshalError(def.schema, obj, typeError.field)
        if (go) throw decodeError(def, obj, go, patch)
        if (unknownFields.length > 0) {
          const problems = unknownFields.map(unknownFieldMessage)
          if (mode === 'Strict') throw strictDecodingError(def, obj, problems, patch)
          if (mode === 'Warn') ctx?.warnings.push(...problems)
        }
        // a value of the wrong type cannot be decoded (defaults would trip over it): refuse now, with every
        // other schema error found in the same pass (upstream reports a custom resource's errors together)
        if (errors.some((e) => e.type === 'FieldValueTypeInvalid'))
          throw invalid(def.kind, def.group, obj.metadata?.name ?? '', dedupe([...genericNameErrors(obj), ...errors]))
      }
      def.defaults?.(obj)
    },
    validate(def, obj, old) {
      const errors: FieldError[] = [...genericNameErrors(obj), ...(def.validate?.(obj, old) ?? [])]
      if (def.schema) errors.push(...withoutRepeatedDuplicates(schemaValidator(obj, def, false).errors, errors))
      if (errors.length > 0) throw invalid(def.kind, def.group, obj.metadata?.name ?? '', dedupe(errors))
    },
  }
}

/** A body the Go decoder refuses: 400 for POST/PUT/apply, 422 on `patch` for other patches (as strict errors). */
function decodeError(def: ResourceDef, obj: KubeObject, message: string, patch?: PatchSource): ApiError {
  if (!patch || patch.type === 'apply')
    return new ApiError(
      400,
      'BadRequest',
      `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${message}`,
    )
  const value = patch.type === 'strategic' ? goValue(patch.body) : JSON.stringify(obj)
  return invalid('', '', '', [
    { type: 'FieldValueInvalid', field: 'patch', message: `Invalid value: ${JSON.stringify(value)}: ${message}` },
  ])
}

/**
 * Strict fieldValidation, worded as upstream's apiserver: a POST/PUT body that cannot be decoded strictly
 * is a 400 BadRequest (`Error from server (BadRequest): ... Deployment in version "v1" cannot be handled
 * as a Deployment: strict decoding error: unknown field "spec.foo"`); a PATCH whose result cannot is a 422
 * on the field `patch` whose value is the strategic patch (Go's `%+v`) or the patched object's JSON
 * (json/merge patches), as upstream's applyPatchToObject / jsonPatcher.
 */
export function strictDecodingError(
  def: ResourceDef,
  obj: KubeObject,
  problems: string[],
  patch?: PatchSource,
): ApiError {
  const strict = `strict decoding error: ${problems.join(', ')}`
  if (!patch || patch.type === 'apply')
    return new ApiError(
      400,
      'BadRequest',
      `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${strict}`,
    )
  const value = patch.type === 'strategic' ? goValue(patch.body) : JSON.stringify(obj)
  return invalid('', '', '', [
    { type: 'FieldValueInvalid', field: 'patch', message: `Invalid value: ${JSON.stringify(value)}: ${strict}` },
  ])
}

/** Go's `fmt.Sprintf("%+v", v)` of a decoded JSON value: maps as `map[k:v ...]` with sorted keys. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>'
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goValue(o[k])}`)
      .join(' ')}]`
  }
  if (typeof v === 'number') return goFloat(v)
  return String(v)
}

// The apiserver decodes whole numbers as int64 (printed plainly); other floats print as Go's shortest %g,
// which switches to exponent form below 1e-4 and from 1e6 up (`1.2345675e+06`).
function goFloat(n: number): string {
  if (Number.isInteger(n)) return String(n)
  const exp = Math.floor(Math.log10(Math.abs(n)))
  if (exp < -4 || exp >= 6) return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2')
  return String(n)
}

// Every kind's name becomes a key segment: refuse what would break keys even where the kind's own
// validation is looser (upstream's path segment rule).
function genericNameErrors(obj: KubeObject): FieldError[] {
  const name = obj.metadata?.name ?? ''
  if (name === '.' || name === '..' || /[/%]/.test(name))
    return [
      {
        type: 'FieldValueInvalid',
        field: 'metadata.name',
        message: `Invalid value: "${name}": may not contain '/' or '%' and may not be '.' or '..'`,
      },
    ]
  return []
}

/** A list-map item the kind's own validation already reports as a duplicate (`containers[1].name:
 * Duplicate value: "c"`) is not reported again by the schema's list-type check (`containers[1]: Duplicate
 * value: {...}`): upstream validates built-in kinds without that structural check. */
function withoutRepeatedDuplicates(schemaErrors: FieldError[], semantic: FieldError[]): FieldError[] {
  const dups = semantic.filter((e) => e.type === 'FieldValueDuplicate').map((e) => e.field)
  return schemaErrors.filter((e) => e.type !== 'FieldValueDuplicate' || !dups.some((f) => f.startsWith(`${e.field}.`)))
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>()
  return errors.filter((e) => {
    const k = `${e.field}\0${e.message}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}
