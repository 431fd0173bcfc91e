import { describe, expect, test } from 'bun:test'
import { defFromCrd, defsFromCrd, validateCrd } from './crd.ts'
import { jsonPath } from './jsonpath.ts'
import { renderTable } from './table.ts'
import { validateStructure } from './validate.ts'

const crd = (over: any = {}) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'], categories: ['all'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: {
          status: {},
          scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
        },
        additionalPrinterColumns: [
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
          { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        selectableFields: [{ jsonPath: '.spec.color' }],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  replicas: { type: 'integer', default: 1 },
                  color: { type: 'string', enum: ['red', 'blue'] },
                  opts: { type: 'object', properties: { debug: { type: 'boolean', default: false } } },
                },
              },
              status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
      },
      { name: 'v1beta1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
    ],
    ...over,
  },
})

describe('jsonPath', () => {
  const obj = {
    spec: { replicas: 3, items: [{ n: 'a' }, { n: 'b' }] },
    status: {
      conditions: [
        { type: 'Synced', status: 'False' },
        { type: 'Ready', status: 'True' },
      ],
    },
  }
  const cases: [string, unknown[]][] = [
    ['.spec.replicas', [3]],
    ['{.spec.replicas}', [3]],
    ['.spec.items[1].n', ['b']],
    ['.spec.items[*].n', ['a', 'b']],
    ['.status.conditions[?(@.type=="Ready")].status', ['True']],
    [".status.conditions[?(@.type=='Synced')].status", ['False']],
    ['.spec.missing', []],
  ]
  for (const [expr, want] of cases) test(expr, () => expect(jsonPath(obj, expr)).toEqual(want))
})

describe('defFromCrd', () => {
  const def = defFromCrd(crd(), 'v1')
  test('names, scope, subresources', () => {
    expect(def).toMatchObject({
      group: 'example.com',
      version: 'v1',
      kind: 'Widget',
      listKind: 'WidgetList',
      plural: 'widgets',
      singular: 'widget',
      namespaced: true,
      shortNames: ['wd'],
      categories: ['all'],
    })
    expect(def.subresources).toEqual({
      status: true,
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
    })
  })
  test('schema validates, prunes and defaults custom resources', () => {
    const o: any = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'default' },
      spec: { color: 'green', extra: 1, opts: {} },
    }
    def.defaults!(o)
    expect(o.spec.replicas).toBe(1)
    expect(o.spec.opts.debug).toBe(false)
    const r = validateStructure(o, def.schema, { prune: true })
    expect(r.unknownFields).toEqual(['spec.extra'])
    expect(r.errors.map((e) => `${e.field}: ${e.message}`)).toEqual([
      'spec.color: Unsupported value: "green": supported values: "red", "blue"',
    ])
    expect(o.spec.extra).toBeUndefined()
    expect(def.validate!(o)).toEqual([])
  })
  test('printer columns and field selectors', () => {
    const now = Date.parse('2026-01-01T00:10:00Z')
    const t: any = renderTable(
      def,
      [
        {
          metadata: { name: 'w', creationTimestamp: '2026-01-01T00:00:00Z' },
          spec: { replicas: 2, color: 'red' },
          status: { conditions: [{ type: 'Ready', status: 'True' }] },
        },
      ],
      { now },
    )
    expect(t.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Replicas', 'Ready', 'Age'])
    expect(t.rows[0].cells).toEqual(['w', 2, 'True', '10m'])
    expect(def.fieldSelectors!['spec.color']({ spec: { color: 'red' } })).toBe('red')
  })
  test('without printer columns: NAME and AGE', () => {
    const c = crd()
    delete c.spec.versions[0].additionalPrinterColumns
    const t: any = renderTable(defFromCrd(c, 'v1'), [{ metadata: { name: 'w' } }])
    expect(t.columnDefinitions.map((x: any) => x.name)).toEqual(['Name', 'Age'])
  })
  test('only served versions, storage first', () => {
    expect(defsFromCrd(crd()).map((d) => d.version)).toEqual(['v1'])
  })
})

describe('validateCrd', () => {
  test('valid', () => expect(validateCrd(crd())).toEqual([]))
  test('name must be plural.group', () => {
    const c = crd()
    c.metadata.name = 'widget.example.com'
    expect(validateCrd(c).map((e) => `${e.field}: ${e.message}`)).toEqual([
      'metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group',
    ])
  })
  test('exactly one storage version', () => {
    const c = crd()
    c.spec.versions[1].storage = true
    expect(validateCrd(c)[0].message).toEndWith('must have exactly one version marked as storage version')
  })
})
