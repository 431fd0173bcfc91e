import { expect, test } from 'bun:test'
import type { ResourceDef } from '../../registry/types.ts'
import { goValue, objectAdmission } from './admission.ts'
import { ctx } from './test-fixtures.test-helper.ts'

const backups: ResourceDef = {
  group: 'ops.example.io',
  version: 'v1',
  kind: 'Backup',
  plural: 'backups',
  singular: 'backup',
  namespaced: true,
  schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          target: { type: 'string', minLength: 1 },
          retention: { 'x-kubernetes-int-or-string': true },
        },
      },
    },
  },
}

test('a custom resource with a wrong type reports its other schema errors with it, as upstream', () => {
  const obj = { metadata: { name: 'b' }, spec: { target: '', retention: true } }
  let err: any
  try {
    objectAdmission().decode(backups, obj, ctx())
  } catch (e) {
    err = e
  }
  expect(err?.code).toBe(422)
  expect(err.details.causes.map((c: any) => c.field).sort()).toEqual(['spec.retention', 'spec.target'])
})

test("goValue prints decoded JSON as Go's %+v does", () => {
  const cases: [unknown, string][] = [
    [{ b: 1, a: 'x' }, 'map[a:x b:1]'],
    [[true, null, 1.5], '[true <nil> 1.5]'],
    [{ s: { t: [] } }, 'map[s:map[t:[]]]'],
    [1234567.5, '1.2345675e+06'],
    [0.00001, '1e-05'],
    [1000000, '1000000'],
  ]
  for (const [v, want] of cases) expect(goValue(v)).toBe(want)
})
