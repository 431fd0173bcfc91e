import { describe, expect, test } from 'bun:test'
import { ProtoReader, WIRE } from '../protobuf/proto-reader.ts'
import { openapiV2Protobuf } from './openapi-v2-protobuf.ts'
import { writeSchema } from './openapi-v2-schema.ts'
import { ProtoWriter } from './proto-writer.ts'

/** Fields of one message: number → raw values (sub-messages as bytes, varints/doubles as numbers). */
function fields(buf: Uint8Array): Map<number, (Uint8Array | number)[]> {
  const r = new ProtoReader(buf)
  const out = new Map<number, (Uint8Array | number)[]>()
  while (!r.done) {
    const { field, wire } = r.tag()
    const v = wire === WIRE.LEN ? r.bytes() : wire === WIRE.FIXED64 ? r.double() : r.int64()
    out.set(field, [...(out.get(field) ?? []), v])
  }
  return out
}
const text = (b: unknown) => new TextDecoder().decode(b as Uint8Array)
const one = (m: Map<number, unknown[]>, f: number) => m.get(f)?.[0] as Uint8Array

describe('gnostic openapi.v2 Schema encoding', () => {
  test('properties, type, items, $ref, numbers and vendor extensions land in their gnostic fields', () => {
    const w = new ProtoWriter()
    writeSchema(w, {
      description: 'a spec',
      type: 'object',
      required: ['selector'],
      properties: {
        replicas: { type: 'integer', format: 'int32', minimum: 0, maxLength: 300 },
        containers: { type: 'array', items: { $ref: '#/definitions/io.k8s.api.core.v1.Container' } },
      },
      additionalProperties: false,
      'x-kubernetes-group-version-kind': [{ group: 'apps', kind: 'Deployment', version: 'v1' }],
    })
    const s = fields(w.finish())
    expect(text(one(s, 4))).toBe('a spec')
    expect(text(one(fields(one(s, 22)), 1))).toBe('object')
    expect(text(one(s, 19))).toBe('selector')
    expect(fields(one(s, 21)).get(2)).toEqual([0])
    const props = (fields(one(s, 25)).get(1) ?? []).map((p) => fields(p as Uint8Array))
    expect(props.map((p) => text(one(p, 1)))).toEqual(['replicas', 'containers'])
    const replicas = fields(one(props[0]!, 2))
    expect(text(one(replicas, 2))).toBe('int32')
    expect(replicas.get(9)).toEqual([0])
    expect(replicas.get(11)).toEqual([300])
    const items = fields(one(fields(one(props[1]!, 2)), 23))
    expect(text(one(fields(one(items, 1)), 1))).toBe('#/definitions/io.k8s.api.core.v1.Container')
    const ext = fields(one(s, 31))
    expect(text(one(ext, 1))).toBe('x-kubernetes-group-version-kind')
    expect(JSON.parse(text(one(fields(one(ext, 2)), 2)))).toEqual([
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ])
  })

  test('the v2 document carries every definition by name (field 9)', () => {
    const doc = fields(openapiV2Protobuf([], 'v1.33.0', { 'io.k8s.api.apps.v1.Deployment': { type: 'object' } }))
    const defs = (fields(one(doc, 9)).get(1) ?? []).map((n) => text(one(fields(n as Uint8Array), 1)))
    expect(defs).toEqual(['io.k8s.api.apps.v1.Deployment'])
  })
})
