import { describe, expect, test } from 'bun:test'
import { PatchError } from './errors.ts'
import { applyJsonPatch, formatPointer, parsePointer } from './json-patch.ts'

const deploy = () => ({
  metadata: { name: 'web', annotations: { 'a/b': '1', 'c~d': '2' } },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } },
})

describe('applyJsonPatch', () => {
  const cases: [string, unknown[], (d: any) => void][] = [
    ['replace a scalar', [{ op: 'replace', path: '/spec/replicas', value: 3 }], (d) => expect(d.spec.replicas).toBe(3)],
    [
      'add to an object',
      [{ op: 'add', path: '/metadata/labels', value: { app: 'web' } }],
      (d) => expect(d.metadata.labels).toEqual({ app: 'web' }),
    ],
    [
      'escaped pointer tokens',
      [
        { op: 'replace', path: '/metadata/annotations/a~1b', value: 'x' },
        { op: 'remove', path: '/metadata/annotations/c~0d' },
      ],
      (d) => expect(d.metadata.annotations).toEqual({ 'a/b': 'x' }),
    ],
    [
      'append with -',
      [{ op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'side', image: 'busybox' } }],
      (d) => expect(d.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['web', 'side']),
    ],
    [
      'insert at index 0',
      [{ op: 'add', path: '/spec/template/spec/containers/0', value: { name: 'first' } }],
      (d) => expect(d.spec.template.spec.containers[0].name).toBe('first'),
    ],
    [
      'move',
      [{ op: 'move', from: '/metadata/annotations', path: '/metadata/labels' }],
      (d) => {
        expect(d.metadata.annotations).toBeUndefined()
        expect(d.metadata.labels['a/b']).toBe('1')
      },
    ],
    [
      'copy is deep',
      [
        { op: 'copy', from: '/spec/template/spec/containers/0', path: '/spec/template/spec/containers/1' },
        { op: 'replace', path: '/spec/template/spec/containers/1/name', value: 'copy' },
      ],
      (d) => expect(d.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['web', 'copy']),
    ],
    [
      'test then replace (rollout undo style)',
      [
        { op: 'test', path: '/spec/replicas', value: 1 },
        { op: 'replace', path: '/spec/template', value: { spec: { containers: [] } } },
      ],
      (d) => expect(d.spec.template.spec.containers).toEqual([]),
    ],
    ['empty patch', [], (d) => expect(d).toEqual(deploy())],
  ]
  for (const [name, ops, check] of cases)
    test(name, () => {
      const input = deploy()
      check(applyJsonPatch(input, ops))
      expect(input).toEqual(deploy())
    })

  const failures: [string, unknown, number, RegExp][] = [
    [
      'failed test is 422',
      [{ op: 'test', path: '/spec/replicas', value: 2 }],
      422,
      /testing value \/spec\/replicas failed/,
    ],
    ['replace of a missing key', [{ op: 'replace', path: '/spec/paused', value: true }], 422, /doc is missing key/],
    ['remove of a missing key', [{ op: 'remove', path: '/spec/nope' }], 422, /doc is missing path/],
    ['add under a missing parent', [{ op: 'add', path: '/status/x/y', value: 1 }], 422, /missing path/],
    ['index out of range', [{ op: 'add', path: '/spec/template/spec/containers/5', value: {} }], 422, /invalid index/],
    ['unknown op', [{ op: 'frobnicate', path: '/spec' }], 422, /Unexpected kind/],
    ['move into own child', [{ op: 'move', from: '/spec', path: '/spec/x' }], 422, /own child/],
    ['not an array', { op: 'add' }, 400, /cannot unmarshal/],
  ]
  for (const [name, body, code, message] of failures)
    test(name, () => {
      let err: unknown
      try {
        applyJsonPatch(deploy(), body)
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(PatchError)
      const pe = err as PatchError
      expect(pe.code).toBe(code)
      expect(JSON.stringify(pe.status)).toMatch(message)
      if (code === 422) expect(pe.message).toBe('the server rejected our request due to an error in our request')
    })
})

test('pointer round trip', () => {
  expect(parsePointer('/a~1b/c~0d/')).toEqual(['a/b', 'c~d', ''])
  expect(formatPointer(['a/b', 'c~d'])).toBe('/a~1b/c~0d')
  expect(parsePointer('')).toEqual([])
})
