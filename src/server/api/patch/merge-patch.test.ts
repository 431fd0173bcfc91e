import { expect, test } from 'bun:test'
import { PatchError } from './errors.ts'
import { applyMergePatch, assertMergePatchDocument } from './merge-patch.ts'

// The RFC 7386 appendix examples plus what kubectl sends.
const cases: [string, unknown, unknown, unknown][] = [
  ['replace scalar', { a: 'b' }, { a: 'c' }, { a: 'c' }],
  ['add member', { a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  ['null deletes', { a: 'b' }, { a: null }, {}],
  ['null deletes one of two', { a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  ['list replaces', { a: ['b'] }, { a: 'c' }, { a: 'c' }],
  ['scalar to list', { a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  ['nested merge and delete', { a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  ['lists are not merged', { a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  ['nulls inside new objects are dropped', {}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ['non-object patch replaces', { a: 'foo' }, ['c'], ['c']],
  [
    'kubectl label',
    { metadata: { name: 'p', labels: { a: '1' } } },
    { metadata: { labels: { b: '2', a: null } } },
    { metadata: { name: 'p', labels: { b: '2' } } },
  ],
  [
    'kubectl scale',
    { spec: { replicas: 1 }, status: {} },
    { spec: { replicas: 5 } },
    { spec: { replicas: 5 }, status: {} },
  ],
]

for (const [name, target, patch, want] of cases)
  test(name, () => {
    const before = structuredClone(target)
    expect(applyMergePatch(target, patch)).toEqual(want as any)
    expect(target).toEqual(before as any)
  })

test('result does not alias the target', () => {
  const target = { spec: { a: { b: 1 } }, other: { x: 1 } }
  const out = applyMergePatch(target, { spec: { c: 1 } }) as any
  out.other.x = 2
  out.spec.a.b = 2
  expect(target).toEqual({ spec: { a: { b: 1 } }, other: { x: 1 } })
})

test('a non-object merge patch document is a 400', () => {
  expect(() => assertMergePatchDocument([1])).toThrow(PatchError)
  expect(() => assertMergePatchDocument({})).not.toThrow()
})
