import { describe, expect, test } from 'bun:test'
import { FieldSet } from './field-set.ts'
import { compare, merge, removeItems, toFieldSet, withNamedFields } from './field-walk.ts'
import { deploymentSchema } from './schema-fixtures.ts'

const config = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a'] },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], args: ['-x'] }] },
    },
  },
}

test('toFieldSet gives the FieldsV1 an upstream applier records', () => {
  expect(toFieldSet(config, deploymentSchema).toFieldsV1()).toEqual({
    'f:apiVersion': {},
    'f:kind': {},
    'f:metadata': { 'f:finalizers': { 'v:"a"': {} }, 'f:labels': { 'f:app': {} }, 'f:name': {} },
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:containers': {
            'k:{"name":"web"}': {
              '.': {},
              'f:args': {},
              'f:image': {},
              'f:name': {},
              'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
            },
          },
        },
      },
    },
  })
})

test('without a schema every map entry is a member (deduced types)', () => {
  expect(toFieldSet({ spec: { a: { b: 1 }, l: [1, 2] } }, undefined).toFieldsV1()).toEqual({
    'f:spec': { '.': {}, 'f:a': { '.': {}, 'f:b': {} }, 'f:l': {} },
  })
})

describe('compare', () => {
  const cases: [string, unknown, unknown, Record<string, string[][]>][] = [
    ['scalar modified', { spec: { replicas: 1 } }, { spec: { replicas: 2 } }, { modified: [['f:spec', 'f:replicas']] }],
    ['equal is no change', config, structuredClone(config), {}],
    [
      'map added marks itself and its leaves',
      { metadata: {} },
      { metadata: { labels: { a: '1' } } },
      {
        added: [
          ['f:metadata', 'f:labels'],
          ['f:metadata', 'f:labels', 'f:a'],
        ],
      },
    ],
    [
      'list item removed',
      { metadata: { finalizers: ['a', 'b'] } },
      { metadata: { finalizers: ['a'] } },
      { removed: [['f:metadata', 'f:finalizers', 'v:"b"']] },
    ],
    [
      'atomic list change is one leaf',
      { spec: { template: { spec: { containers: [{ name: 'w', args: ['a'] }] } } } },
      { spec: { template: { spec: { containers: [{ name: 'w', args: ['b'] }] } } } },
      { modified: [['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"w"}', 'f:args']] },
    ],
  ]
  for (const [name, l, r, want] of cases)
    test(name, () => {
      const c = compare(l, r, deploymentSchema)
      expect(c.added.paths()).toEqual(want.added ?? [])
      expect(c.modified.paths()).toEqual(want.modified ?? [])
      expect(c.removed.paths()).toEqual(want.removed ?? [])
    })
})

describe('merge', () => {
  test('associative lists merge by key, atomic lists and maps are replaced', () => {
    const live = {
      spec: {
        selector: { matchLabels: { app: 'web', old: 'x' } },
        template: {
          spec: {
            containers: [
              { name: 'web', image: 'a', args: ['1', '2'], imagePullPolicy: 'Always' },
              { name: 'side', image: 's' },
            ],
          },
        },
      },
    }
    const out: any = merge(
      live,
      {
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: { spec: { containers: [{ name: 'web', image: 'b', args: ['3'] }] } },
        },
      },
      deploymentSchema,
    )
    expect(out.spec.selector).toEqual({ matchLabels: { app: 'web' } })
    expect(out.spec.template.spec.containers).toEqual([
      { name: 'web', image: 'b', args: ['3'], imagePullPolicy: 'Always' },
      { name: 'side', image: 's' },
    ])
  })
  test('set lists union: applied order first, live-only items after their predecessors', () => {
    expect(
      merge({ metadata: { finalizers: ['a', 'b'] } }, { metadata: { finalizers: ['c', 'a'] } }, deploymentSchema),
    ).toEqual({ metadata: { finalizers: ['c', 'a', 'b'] } })
  })
})

test('removeItems drops members and whole subtrees', () => {
  const set = new FieldSet()
  set.insert(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"side"}'])
  set.insert(['f:metadata', 'f:labels', 'f:tier'])
  const obj = {
    metadata: { labels: { app: 'w', tier: 'f' } },
    spec: { template: { spec: { containers: [{ name: 'web' }, { name: 'side', image: 'x' }] } } },
  }
  expect(removeItems(obj, set, deploymentSchema)).toEqual({
    metadata: { labels: { app: 'w' } },
    spec: { template: { spec: { containers: [{ name: 'web' }] } } },
  })
})

test('withNamedFields makes declared ancestors members, not map keys or list items', () => {
  const set = new FieldSet()
  set.insert(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"w"}', 'f:image'])
  const named = withNamedFields(set, deploymentSchema)
  expect(named.has(['f:spec'])).toBe(true)
  expect(named.has(['f:spec', 'f:template', 'f:spec', 'f:containers'])).toBe(true)
  expect(named.has(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"w"}'])).toBe(false)
})

test('merge keeps repeated live items the configuration does not name, replaces those it does', () => {
  const live = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'a', image: '1' },
            { name: 'a', image: '2' },
            { name: 'b', image: '3' },
            { name: 'b', image: '4' },
          ],
        },
      },
    },
  }
  const out: any = merge(
    live,
    { spec: { template: { spec: { containers: [{ name: 'b', image: '5' }] } } } },
    deploymentSchema,
  )
  expect(out.spec.template.spec.containers).toEqual([
    { name: 'a', image: '1' },
    { name: 'a', image: '2' },
    { name: 'b', image: '5' },
  ])
})
