// The declarative shape of our protobuf message tables.
//
// A message is `{ jsonName: [fieldNumber, type] }`, written from the upstream `generated.proto`
// files of k8s.io/api and k8s.io/apimachinery (field numbers are stable across releases, so the
// tables only grow). Types:
//   'string' | 'bool' | 'int32' | 'int64' | 'double' | 'bytes'   scalars (bytes become base64, as JSON)
//   a well-known name ('Time', 'Quantity', 'IntOrString', ...)  see well-known.ts
//   another message's name                                      a nested object
//   'T[]'           repeated field
//   'T?'            a Go pointer field: present on the wire only when set, so a zero value is
//                   kept ('replicas: 0', 'runAsNonRoot: false'); without '?', zero scalars are
//                   dropped as the JSON encoding's omitempty would drop them
//   'T!'            a value field whose JSON tag has no omitempty (`containerPort`, PriorityClass
//                   `value`, `allowed`): always on the wire, zero kept, as JSON clients send it
//   'map<string,T>' a proto map
//   '...T'          an embedded Go struct inlined into the parent's JSON (LocalObjectReference
//                   in ConfigMapKeySelector, VolumeSource in Volume); the key is only a label
import { WELL_KNOWN, type WellKnownName } from './well-known.ts'

export type FieldSpec = readonly [field: number, type: string]
export type MessageSpec = Readonly<Record<string, FieldSpec>>
export type MessageTable = Readonly<Record<string, MessageSpec>>

export type ScalarName = 'string' | 'bool' | 'int32' | 'int64' | 'double' | 'bytes'
const SCALARS = new Set<string>(['string', 'bool', 'int32', 'int64', 'double', 'bytes'])

export type ValueType =
  | { kind: 'scalar'; name: ScalarName }
  | { kind: 'wellKnown'; name: WellKnownName }
  | { kind: 'message'; name: string }

export interface CompiledField {
  json: string
  value: ValueType
  shape: 'single' | 'repeated' | 'map' | 'inline'
  /** map key type (always a scalar in Kubernetes' protos) */
  key?: ScalarName
  /** pointer ('?') or non-omitempty ('!') field: keep zero values */
  keepZero: boolean
}

/** Parses one type expression of the table grammar above. */
export function parseType(json: string, type: string): CompiledField {
  const map = type.match(/^map<\s*(\w+)\s*,\s*(\w+)\s*>$/)
  if (map) {
    if (!SCALARS.has(map[1])) throw new Error(`${json}: map key type ${map[1]} is not a scalar`)
    return { json, value: valueType(map[2]), shape: 'map', key: map[1] as ScalarName, keepZero: false }
  }
  if (type.startsWith('...')) return { json, value: valueType(type.slice(3)), shape: 'inline', keepZero: false }
  if (type.endsWith('[]')) return { json, value: valueType(type.slice(0, -2)), shape: 'repeated', keepZero: false }
  if (type.endsWith('?') || type.endsWith('!'))
    return { json, value: valueType(type.slice(0, -1)), shape: 'single', keepZero: true }
  return { json, value: valueType(type), shape: 'single', keepZero: false }
}

function valueType(name: string): ValueType {
  if (SCALARS.has(name)) return { kind: 'scalar', name: name as ScalarName }
  if (name in WELL_KNOWN) return { kind: 'wellKnown', name: name as WellKnownName }
  if (!/^[A-Z]\w*$/.test(name)) throw new Error(`unknown type expression ${name}`)
  return { kind: 'message', name }
}

/** Merges group tables, refusing a message name defined twice (names are global). */
export function mergeTables(...tables: MessageTable[]): MessageTable {
  const out: Record<string, MessageSpec> = {}
  for (const t of tables)
    for (const [name, spec] of Object.entries(t)) {
      if (name in out) throw new Error(`protobuf message ${name} is defined twice`)
      out[name] = spec
    }
  return out
}

/** Compiles a table into per-message lookups by field number, and checks every reference resolves. */
export function compileTable(table: MessageTable): Map<string, Map<number, CompiledField>> {
  const out = new Map<string, Map<number, CompiledField>>()
  for (const [name, spec] of Object.entries(table)) {
    const byNumber = new Map<number, CompiledField>()
    for (const [json, [num, type]] of Object.entries(spec)) {
      if (byNumber.has(num)) throw new Error(`${name}: field number ${num} used twice`)
      const f = parseType(json, type)
      if (f.value.kind === 'message' && !(f.value.name in table))
        throw new Error(`${name}.${json}: unknown message type ${f.value.name}`)
      if (f.shape === 'inline' && f.value.kind !== 'message') throw new Error(`${name}.${json}: only messages inline`)
      byNumber.set(num, f)
    }
    out.set(name, byNumber)
  }
  return out
}
