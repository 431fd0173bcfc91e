// Table-driven decoding of one protobuf message into the JSON object the JSON API would carry.
//
// Kubernetes' generated marshallers (gogo-protobuf, proto2) write every non-pointer field, zero
// or not, and pointer fields only when set. JSON drops zero values of `omitempty` fields, so we
// drop zero scalars unless the table marks the field as a pointer ('T?'). Nested messages are
// always kept when present, like Go structs in JSON (`resources: {}`, `status: {}`), because a
// present-but-empty pointer message carries meaning (`emptyDir: {}`).
import { type CompiledField, compileTable, type MessageTable, type ValueType } from './message-table.ts'
import { MalformedProtobuf, ProtoReader, WIRE } from './proto-reader.ts'
import { WELL_KNOWN } from './well-known.ts'

export type JsonObject = Record<string, unknown>

const WIRE_OF_SCALAR = {
  string: WIRE.LEN,
  bytes: WIRE.LEN,
  bool: WIRE.VARINT,
  int32: WIRE.VARINT,
  int64: WIRE.VARINT,
  double: WIRE.FIXED64,
}

export interface MessageDecoder {
  /** Decodes `payload` as the named message of the table. */
  decode(message: string, payload: Uint8Array): JsonObject
  has(message: string): boolean
}

export function createMessageDecoder(table: MessageTable): MessageDecoder {
  const compiled = compileTable(table)

  function decode(message: string, payload: Uint8Array): JsonObject {
    const byNumber = compiled.get(message)
    if (!byNumber) throw new Error(`no protobuf message table for ${message}`)
    const r = new ProtoReader(payload)
    const out: JsonObject = {}
    while (!r.done) {
      const { field, wire } = r.tag()
      const f = byNumber.get(field)
      if (!f) {
        r.skip(wire)
        continue
      }
      readField(r, wire, f, out, message)
    }
    return out
  }

  function readField(r: ProtoReader, wire: number, f: CompiledField, out: JsonObject, message: string): void {
    switch (f.shape) {
      case 'single': {
        const v = readValue(r, wire, f.value, `${message}.${f.json}`)
        if (f.keepZero || !isZero(v)) out[f.json] = v
        else delete out[f.json]
        return
      }
      case 'repeated': {
        const list = (out[f.json] ??= []) as unknown[]
        const numeric = f.value.kind === 'scalar' && WIRE_OF_SCALAR[f.value.name] !== WIRE.LEN
        if (numeric && wire === WIRE.LEN) {
          // packed encoding: a run of scalars in one length-delimited field
          const sub = new ProtoReader(r.bytes())
          while (!sub.done)
            list.push(readValue(sub, WIRE_OF_SCALAR[(f.value as { name: 'int32' }).name], f.value, f.json))
        } else list.push(readValue(r, wire, f.value, `${message}.${f.json}`))
        return
      }
      case 'map': {
        expectWire(wire, WIRE.LEN, `${message}.${f.json}`)
        const entry = new ProtoReader(r.bytes())
        let key: unknown = zeroOf({ kind: 'scalar', name: f.key! })
        let value: unknown
        while (!entry.done) {
          const t = entry.tag()
          if (t.field === 1) key = readValue(entry, t.wire, { kind: 'scalar', name: f.key! }, `${f.json} key`)
          else if (t.field === 2) value = readValue(entry, t.wire, f.value, `${f.json}[${String(key)}]`)
          else entry.skip(t.wire)
        }
        const map = (out[f.json] ??= {}) as JsonObject
        // defineProperty: a key such as "__proto__" must stay data, as JSON.parse keeps it
        Object.defineProperty(map, String(key), {
          value: value ?? zeroOf(f.value),
          enumerable: true,
          writable: true,
          configurable: true,
        })
        return
      }
      case 'inline': {
        expectWire(wire, WIRE.LEN, `${message}.${f.json}`)
        Object.assign(out, decode((f.value as { name: string }).name, r.bytes()))
        return
      }
    }
  }

  function readValue(r: ProtoReader, wire: number, t: ValueType, where: string): unknown {
    if (t.kind === 'message') {
      expectWire(wire, WIRE.LEN, where)
      return decode(t.name, r.bytes())
    }
    if (t.kind === 'wellKnown') {
      expectWire(wire, WIRE.LEN, where)
      return WELL_KNOWN[t.name](r.bytes())
    }
    expectWire(wire, WIRE_OF_SCALAR[t.name], where)
    switch (t.name) {
      case 'string':
        return r.string()
      case 'bytes':
        return Buffer.from(r.bytes()).toString('base64')
      case 'bool':
        return r.bool()
      case 'int32':
        return r.int32()
      case 'int64':
        return r.int64()
      case 'double':
        return r.double()
    }
  }

  function zeroOf(t: ValueType): unknown {
    if (t.kind === 'message') return {}
    if (t.kind === 'wellKnown') return WELL_KNOWN[t.name](new Uint8Array())
    return t.name === 'bool' ? false : t.name === 'string' || t.name === 'bytes' ? '' : 0
  }

  return { decode, has: (message) => compiled.has(message) }
}

function expectWire(actual: number, expected: number, where: string): void {
  if (actual !== expected) throw new MalformedProtobuf(`${where}: wire type ${actual}, expected ${expected}`)
}

const isZero = (v: unknown) => v === undefined || v === '' || v === 0 || v === false
