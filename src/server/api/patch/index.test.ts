import { describe, expect, test } from 'bun:test'
import { ApiError } from '../../../shared/errors.ts'
import { ApplyConflictError, decodePatchBody, patch, patchTypeOf, unsupportedPatchType } from './index.ts'
import { deploymentSchema } from './schema-fixtures.ts'

const live = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'a' }] } } },
})

test('content types map to patch types', () => {
  const cases: [string | null, string | undefined][] = [
    ['application/json-patch+json', 'json'],
    ['application/merge-patch+json; charset=utf-8', 'merge'],
    ['application/strategic-merge-patch+json', 'strategic'],
    ['application/apply-patch+yaml', 'apply'],
    ['application/json', undefined],
    ['application/apply-patch+cbor', undefined],
    [null, undefined],
  ]
  for (const [ct, want] of cases) expect(patchTypeOf(ct)).toBe(want as any)
  const e = unsupportedPatchType(false)
  expect(e.code).toBe(415)
  expect(e.message).not.toContain('strategic')
})

describe('patch dispatch with raw bodies', () => {
  const ctx = { schema: deploymentSchema, manager: 'kubectl', now: '2026-11-22T08:00:00Z' }
  test('json', () => {
    expect(
      patch('json', live(), '[{"op":"replace","path":"/spec/replicas","value":2}]', ctx).object.spec.replicas,
    ).toBe(2)
  })
  test('merge (kubectl label)', () => {
    expect(patch('merge', live(), '{"metadata":{"labels":{"app":null,"x":"y"}}}', ctx).object.metadata.labels).toEqual({
      x: 'y',
    })
  })
  test('strategic', () => {
    const out = patch(
      'strategic',
      live(),
      '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"b"}]}}}}',
      ctx,
    )
    expect(out.object.spec.template.spec.containers).toEqual([{ name: 'web', image: 'b' }])
    expect(out.managedFields).toBeUndefined()
  })
  test('strategic on a custom resource is a 415', () => {
    expect(() => patch('strategic', live(), '{}', { strategicMerge: false })).toThrow(ApiError)
  })
  test('apply with a YAML body creates', () => {
    const yaml = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n'
    const out = patch('apply', undefined, yaml, ctx)
    expect(out.object.spec.replicas).toBe(3)
    expect(out.managedFields?.[0].manager).toBe('kubectl')
  })
  test('apply with a JSON body (what kubectl sends) and force=false conflicts', () => {
    const created = patch('apply', undefined, JSON.stringify({ ...live(), spec: { replicas: 1 } }), {
      ...ctx,
      manager: 'a',
    })
    const body = JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 5 },
    })
    expect(() => patch('apply', created.object, body, { ...ctx, manager: 'b' })).toThrow(ApplyConflictError)
    expect(patch('apply', created.object, body, { ...ctx, manager: 'b', force: true }).object.spec.replicas).toBe(5)
  })
  test('apply needs a field manager', () => {
    expect(() => patch('apply', live(), '{}', { schema: deploymentSchema })).toThrow(/fieldManager/)
  })
  test('an already decoded body is used as is', () => {
    expect(patch('merge', live(), { spec: { paused: true } }).object.spec.paused).toBe(true)
  })
})

test('malformed bodies are 400s', () => {
  for (const [type, body] of [
    ['json', '[{'],
    ['merge', 'nope'],
    ['strategic', '{"a":'],
    ['apply', 'a: [1'],
    ['apply', '- 1\n- 2'],
  ] as const) {
    let err: any
    try {
      decodePatchBody(type, body)
      patch(type, live(), body, { manager: 'm' })
    } catch (e) {
      err = e
    }
    expect(err?.code).toBe(400)
  }
})

test('apply YAML with a repeated key keeps the last value (fieldValidation decides elsewhere)', () => {
  expect(decodePatchBody('apply', 'a: 1\na: 2\n')).toEqual({ a: 2 })
})
