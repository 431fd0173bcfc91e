import { describe, expect, test } from 'bun:test'
import { findDuplicateKeys } from './duplicate-keys.ts'
import { kindSchema } from './schemas/index.ts'
import type { JsonSchema } from './types.ts'
import { validateStructure } from './validate.ts'

const deployment = kindSchema('apps', 'v1', 'Deployment')!
const base = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] },
    },
  },
})

describe('validateStructure on a built-in kind', () => {
  const cases: [string, (o: any) => void, string[], string[]][] = [
    ['valid object', () => {}, [], []],
    ['unknown spec field', (o) => (o.spec.foo = 1), [], ['spec.foo']],
    [
      'unknown container field',
      (o) => (o.spec.template.spec.containers[0].bogus = true),
      [],
      ['spec.template.spec.containers[0].bogus'],
    ],
    [
      'string for an integer',
      (o) => (o.spec.replicas = 'two'),
      ['spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'],
      [],
    ],
    [
      'missing required container name',
      (o) => delete o.spec.template.spec.containers[0].name,
      ['spec.template.spec.containers[0].name: Required value'],
      [],
    ],
    [
      'enum violation',
      (o) => (o.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes'),
      [
        'spec.template.spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
      ],
      [],
    ],
    [
      'int-or-string accepts both',
      (o) => (o.spec.strategy = { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } }),
      [],
      [],
    ],
    [
      'quantities accept numbers',
      (o) => (o.spec.template.spec.containers[0].resources = { limits: { cpu: 1 } }),
      [],
      [],
    ],
    ['null means unset', (o) => (o.spec.replicas = null), [], []],
    [
      'malformed quantity',
      (o) => (o.spec.template.spec.containers[0].resources = { limits: { memory: '1 GB' } }),
      [
        'spec.template.spec.containers[0].resources.limits[memory]: Invalid value: "1 GB": quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'',
      ],
      [],
    ],
    [
      'label value must be a string',
      (o) => (o.metadata.labels.app = 3),
      [
        'metadata.labels[app]: Invalid value: "integer": metadata.labels[app] in body must be of type string: "integer"',
      ],
      [],
    ],
  ]
  for (const [name, mutate, errors, unknown] of cases)
    test(name, () => {
      const o = base()
      mutate(o)
      const r = validateStructure(o, deployment)
      expect(r.errors.map((e) => `${e.field}: ${e.message}`)).toEqual(errors)
      expect(r.unknownFields).toEqual(unknown)
    })

  test('prune drops unknown fields and keeps known ones', () => {
    const o: any = base()
    o.spec.foo = 1
    o.status = { replicas: 1, nope: 2 }
    validateStructure(o, deployment, { prune: true })
    expect(o.spec.foo).toBeUndefined()
    expect(o.status).toEqual({ replicas: 1 })
    expect(o.spec.replicas).toBe(2)
  })
})

describe('validateStructure on a CRD structural schema', () => {
  const schema: JsonSchema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        required: ['size'],
        properties: {
          size: { type: 'integer', minimum: 1, maximum: 10 },
          color: { type: 'string', enum: ['red', 'blue'] },
          name: { type: 'string', pattern: '^[a-z]+$', maxLength: 5 },
          free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
          ports: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['port'],
            items: { type: 'object', properties: { port: { type: 'integer' } } },
          },
        },
      },
    },
  }
  const cases: [string, unknown, string[], string[]][] = [
    ['valid', { spec: { size: 3, free: { anything: { goes: 1 } } } }, [], []],
    ['required', { spec: {} }, ['spec.size: Required value'], []],
    [
      'minimum',
      { spec: { size: 0 } },
      ['spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1'],
      [],
    ],
    [
      'maximum',
      { spec: { size: 11 } },
      ['spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10'],
      [],
    ],
    [
      'enum',
      { spec: { size: 1, color: 'green' } },
      ['spec.color: Unsupported value: "green": supported values: "red", "blue"'],
      [],
    ],
    [
      'pattern',
      { spec: { size: 1, name: 'A' } },
      ['spec.name: Invalid value: "A": spec.name in body should match \'^[a-z]+$\''],
      [],
    ],
    ['maxLength', { spec: { size: 1, name: 'abcdef' } }, ['spec.name: Too long: may not be more than 5 bytes'], []],
    ['set duplicates', { spec: { size: 1, tags: ['a', 'a'] } }, ['spec.tags[1]: Duplicate value: "a"'], []],
    [
      'map duplicates',
      { spec: { size: 1, ports: [{ port: 1 }, { port: 1 }] } },
      ['spec.ports[1]: Duplicate value: {"port":1}'],
      [],
    ],
    ['unknown field', { spec: { size: 1, extra: true }, other: 1 }, [], ['spec.extra', 'other']],
  ]
  for (const [name, obj, errors, unknown] of cases)
    test(name, () => {
      const r = validateStructure(obj, schema)
      expect(r.errors.map((e) => `${e.field}: ${e.message}`)).toEqual(errors)
      expect(r.unknownFields).toEqual(unknown)
    })
})

describe('findDuplicateKeys', () => {
  const cases: [string, string[]][] = [
    ['{"a":1,"b":2}', []],
    ['{"a":1,"a":2}', ['a']],
    ['{"spec":{"replicas":1,"replicas":2}}', ['spec.replicas']],
    ['{"spec":{"containers":[{"name":"a","image":"x","name":"b"}]}}', ['spec.containers[0].name']],
    ['{"a":{"x":1},"b":{"x":1}}', []],
    ['{"a":"}\\"","a":[1,{"k":[]}]}', ['a']],
    ['{"a": 1,', []],
  ]
  for (const [text, want] of cases) test(text, () => expect(findDuplicateKeys(text)).toEqual(want))
})
