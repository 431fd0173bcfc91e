import { expect, test } from 'bun:test'
import { FieldSet, pathString } from './field-set.ts'

const v1 = {
  'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {} } } } },
  },
}

test('FieldsV1 round trip keeps "." only where a node with children is itself a member', () => {
  const set = FieldSet.fromFieldsV1(v1)
  expect(set.toFieldsV1()).toEqual(v1)
  expect(set.has(['f:metadata', 'f:labels'])).toBe(true)
  expect(set.has(['f:metadata'])).toBe(false)
  expect(set.has(['f:spec', 'f:replicas'])).toBe(true)
})

test('set algebra works on members', () => {
  const a = FieldSet.fromFieldsV1(v1)
  const b = new FieldSet()
  b.insert(['f:spec', 'f:replicas'])
  b.insert(['f:spec', 'f:paused'])
  expect(a.intersection(b).paths()).toEqual([['f:spec', 'f:replicas']])
  expect(a.difference(b).has(['f:spec', 'f:replicas'])).toBe(false)
  expect(a.difference(b).has(['f:metadata', 'f:labels', 'f:app'])).toBe(true)
  expect(a.union(b).has(['f:spec', 'f:paused'])).toBe(true)
  expect(b.difference(b).empty).toBe(true)
  const spec = new FieldSet()
  spec.insert(['f:spec'])
  expect(a.recursiveDifference(spec).toFieldsV1()).toEqual({ 'f:metadata': v1['f:metadata'] })
})

test('upstream path strings', () => {
  const cases: [string[], string][] = [
    [['f:spec', 'f:replicas'], '.spec.replicas'],
    [['f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image'], '.spec.containers[name="web"].image'],
    [['f:ports', 'k:{"containerPort":80,"protocol":"TCP"}'], '.ports[containerPort=80,protocol="TCP"]'],
    [['f:metadata', 'f:finalizers', 'v:"a"'], '.metadata.finalizers[="a"]'],
    [['f:args', 'i:0'], '.args[0]'],
  ]
  for (const [path, want] of cases) expect(pathString(path)).toBe(want)
})
