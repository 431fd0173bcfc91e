// Defaulting and validation of an object about to be written, in upstream's order: decode (unknown
// fields handled per fieldValidation, wrong types refused) → defaults → the verb's own preparation →
// validation (the kind's semantic hooks + the schema's required/enum/limit rules) → 422 Invalid.
import { ApiError, invalid } from '../../../shared/errors.ts'
import type { FieldError, KubeObject, ResourceDef } from '../../registry/types.ts'
import { unknownFieldMessage, validateStructure } from '../../registry/validate.ts'
import type { RequestContext } from './types.ts'

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore'

/** The structural schema check (the registry's validateStructure); replaceable in tests. */
export type SchemaValidator = (
  obj: KubeObject,
  def: ResourceDef,
  prune: boolean,
) => { errors: FieldError[]; unknownFields: string[] }

const defaultValidator: SchemaValidator = (obj, def, prune) => validateStructure(obj, def.schema, { prune })

export interface ObjectAdmission {
  /** unknown fields per fieldValidation, wrong types → 422, then the kind's defaults. Mutates obj. */
  decode(def: ResourceDef, obj: KubeObject, ctx: RequestContext | undefined): void
  /** semantic + schema validation; throws 422 Invalid */
  validate(def: ResourceDef, obj: KubeObject, old: KubeObject | undefined, ctx: RequestContext | undefined): void
}

export function objectAdmission(schemaValidator: SchemaValidator = defaultValidator): ObjectAdmission {
  return {
    decode(def, obj, ctx) {
      if (def.schema) {
        // upstream's default for requests that do not say is Warn; unknown fields never reach storage
        const mode: FieldValidation = ctx?.fieldValidation ?? 'Warn'
        const { errors, unknownFields } = schemaValidator(obj, def, mode !== 'Strict')
        if (unknownFields.length > 0) {
          const problems = unknownFields.map(unknownFieldMessage)
          if (mode === 'Strict') throw strictDecodingError(def, obj.metadata?.name ?? '', unknownFields, problems)
          if (mode === 'Warn') ctx?.warnings.push(...problems)
        }
        // a value of the wrong type cannot be decoded (defaults would trip over it): refuse now
        const typeErrors = errors.filter((e) => e.type === 'FieldValueTypeInvalid')
        if (typeErrors.length > 0) throw invalid(def.kind, def.group, obj.metadata?.name ?? '', typeErrors)
      }
      def.defaults?.(obj)
    },
    validate(def, obj, old) {
      const errors: FieldError[] = [...genericNameErrors(obj), ...(def.validate?.(obj, old) ?? [])]
      if (def.schema) errors.push(...schemaValidator(obj, def, false).errors)
      if (errors.length > 0) throw invalid(def.kind, def.group, obj.metadata?.name ?? '', dedupe(errors))
    },
  }
}

/** Strict fieldValidation: upstream's strict decoding message (422, matching the HTTP layer's duplicate-field check). */
// Causes carry the field and the object's name, so kubectl prints `The ConfigMap "x" is invalid: bogus: unknown field "bogus"`.
function strictDecodingError(def: ResourceDef, name: string, fields: string[], problems: string[]): ApiError {
  return new ApiError(
    422,
    'Invalid',
    `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${problems.join(', ')}`,
    {
      name,
      kind: def.kind,
      group: def.group,
      causes: problems.map((message, i) => ({ reason: 'FieldValueInvalid', message, field: fields[i] })),
    },
  )
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

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>()
  return errors.filter((e) => {
    const k = `${e.field}\0${e.message}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}
