// Defaulting and validation of an object about to be written, in upstream's order: decode (unknown-field
// handling per fieldValidation) → defaults → strategy prepare (done by the verb) → validation → 422.
import { invalid } from '../../../shared/errors.ts'
import type { FieldError, KubeObject, ResourceDef } from '../../registry/types.ts'
import type { RequestContext } from './types.ts'

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore'

/**
 * Schema validation (the registry's validate.ts): returns field errors (types, required, enums) and the
 * unknown/duplicate-field findings, which the store turns into 422 (Strict), warnings (Warn) or nothing
 * (Ignore). With Warn/Ignore the validator drops unknown fields from `obj` (upstream prunes them).
 */
export type SchemaValidator = (
  def: ResourceDef,
  obj: KubeObject,
  mode: FieldValidation,
) => { errors: FieldError[]; unknownFields: FieldError[] }

export interface ObjectAdmission {
  /** strict decoding then defaults; runs before the verb's own preparation */
  decode(def: ResourceDef, obj: KubeObject, ctx: RequestContext | undefined): void
  /** semantic + schema validation; throws 422 Invalid */
  validate(def: ResourceDef, obj: KubeObject, old: KubeObject | undefined, ctx: RequestContext | undefined): void
}

export function objectAdmission(schemaValidator?: SchemaValidator): ObjectAdmission {
  return {
    decode(def, obj, ctx) {
      const mode = ctx?.fieldValidation ?? 'Warn'
      if (schemaValidator) {
        const { unknownFields } = schemaValidator(def, obj, mode)
        if (unknownFields.length > 0) {
          // upstream: Strict → 400 BadRequest "strict decoding error: unknown field ..."; kubectl prints it as is
          if (mode === 'Strict') throw invalid(def.kind, def.group, obj.metadata?.name ?? '', unknownFields)
          if (mode === 'Warn') ctx?.warnings.push(...unknownFields.map((e) => e.message))
        }
      }
      def.defaults?.(obj)
    },
    validate(def, obj, old, ctx) {
      const errors: FieldError[] = [...genericNameErrors(obj), ...(def.validate?.(obj, old) ?? [])]
      if (schemaValidator) errors.push(...schemaValidator(def, obj, 'Ignore').errors)
      if (errors.length > 0) throw invalid(def.kind, def.group, obj.metadata?.name ?? '', dedupe(errors))
      void ctx
    },
  }
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
