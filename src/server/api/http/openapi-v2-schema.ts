// A swagger 2.0 JSON schema → gnostic openapi.v2.Schema (field numbers from gnostic's OpenAPIv2.proto).
// kubectl's v2 models (`explain --output=plaintext-openapiv2`, patch metadata) read definitions from the
// protobuf document only. Values of `Any` fields travel as YAML; JSON is YAML, so JSON.stringify serves.
import type { ProtoWriter } from './proto-writer.ts'

const S = {
  ref: 1,
  format: 2,
  title: 3,
  description: 4,
  default: 5,
  multipleOf: 6,
  maximum: 7,
  exclusiveMaximum: 8,
  minimum: 9,
  exclusiveMinimum: 10,
  maxLength: 11,
  minLength: 12,
  pattern: 13,
  maxItems: 14,
  minItems: 15,
  uniqueItems: 16,
  maxProperties: 17,
  minProperties: 18,
  required: 19,
  enum: 20,
  additionalProperties: 21,
  type: 22,
  items: 23,
  allOf: 24,
  properties: 25,
  discriminator: 26,
  readOnly: 27,
  example: 30,
  vendorExtension: 31,
} as const
const NAMED = { name: 1, value: 2 }
const ANY_YAML = 2

type Json = Record<string, any>

const strings = ['format', 'title', 'description', 'pattern', 'discriminator'] as const
const doubles = ['multipleOf', 'maximum', 'minimum'] as const
const ints = ['maxLength', 'minLength', 'maxItems', 'minItems', 'maxProperties', 'minProperties'] as const
const bools = ['exclusiveMaximum', 'exclusiveMinimum', 'uniqueItems', 'readOnly'] as const

const anyValue = (w: ProtoWriter, field: number, v: unknown) =>
  w.message(field, (a) => a.string(ANY_YAML, JSON.stringify(v)))

export function writeNamedAny(w: ProtoWriter, field: number, name: string, v: unknown): void {
  w.message(field, (n) => {
    n.string(NAMED.name, name)
    anyValue(n, NAMED.value, v)
  })
}

export function writeSchema(w: ProtoWriter, s: Json): void {
  if (typeof s.$ref === 'string') w.string(S.ref, s.$ref)
  for (const k of strings) if (typeof s[k] === 'string') w.string(S[k], s[k])
  if (s.default !== undefined) anyValue(w, S.default, s.default)
  for (const k of doubles) if (typeof s[k] === 'number') w.double(S[k], s[k])
  for (const k of ints) if (typeof s[k] === 'number') w.uint(S[k], s[k])
  for (const k of bools) if (s[k] === true) w.bool(S[k], true)
  if (Array.isArray(s.required)) for (const r of s.required) w.string(S.required, String(r))
  if (Array.isArray(s.enum)) for (const e of s.enum) anyValue(w, S.enum, e)
  const ap = s.additionalProperties
  if (typeof ap === 'boolean') w.message(S.additionalProperties, (i) => i.bool(2, ap))
  else if (ap && typeof ap === 'object')
    w.message(S.additionalProperties, (i) => i.message(1, (x) => writeSchema(x, ap)))
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type]
    w.message(S.type, (t) => {
      for (const v of types) t.string(1, String(v))
    })
  }
  if (s.items && typeof s.items === 'object') {
    const items = Array.isArray(s.items) ? s.items : [s.items]
    w.message(S.items, (it) => {
      for (const x of items) it.message(1, (sw) => writeSchema(sw, x))
    })
  }
  if (Array.isArray(s.allOf)) for (const x of s.allOf) w.message(S.allOf, (sw) => writeSchema(sw, x))
  if (s.properties && typeof s.properties === 'object') {
    w.message(S.properties, (p) => {
      for (const [name, sub] of Object.entries(s.properties as Json))
        p.message(1, (n) => n.string(NAMED.name, name).message(NAMED.value, (sw) => writeSchema(sw, sub)))
    })
  }
  if (s.example !== undefined) anyValue(w, S.example, s.example)
  for (const [k, v] of Object.entries(s)) if (k.startsWith('x-')) writeNamedAny(w, S.vendorExtension, k, v)
}

/** Document.definitions (field 9): Definitions { repeated NamedSchema additional_properties = 1 }. */
export function writeDefinitions(w: ProtoWriter, field: number, definitions: Record<string, Json>): void {
  w.message(field, (d) => {
    for (const [name, schema] of Object.entries(definitions))
      d.message(1, (n) => n.string(NAMED.name, name).message(NAMED.value, (sw) => writeSchema(sw, schema)))
  })
}
