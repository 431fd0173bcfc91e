import { describe, expect, test } from 'bun:test'
import { FieldSet } from './field-set.ts'
import { type ManagedFieldsEntry, updateManagedFields } from './managed-fields.ts'
import { deploymentSchema } from './schema-fixtures.ts'

const T1 = '2026-11-22T07:00:00Z'
const T2 = '2026-11-22T08:00:00Z'
const opts = (now: string, extra = {}) => ({ schema: deploymentSchema, now, ...extra })

const created = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'default',
    uid: 'u',
    resourceVersion: '1',
    labels: { app: 'web' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
  },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } },
  },
  status: { replicas: 0 },
})

const fieldsOf = (entries: ManagedFieldsEntry[], manager: string) =>
  FieldSet.fromFieldsV1(entries.find((e) => e.manager === manager)?.fieldsV1)

describe('updateManagedFields', () => {
  test('create records every field the client set, without system metadata', () => {
    const mf = updateManagedFields(
      undefined,
      created(),
      'kubectl-client-side-apply',
      'Update',
      'apps/v1',
      undefined,
      opts(T1, { resetFields: ['status'] }),
    )
    expect(mf).toHaveLength(1)
    expect(mf[0]).toMatchObject({
      manager: 'kubectl-client-side-apply',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: T1,
      fieldsType: 'FieldsV1',
    })
    const v1 = mf[0].fieldsV1 as any
    expect(v1['f:metadata']).toEqual({
      'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} },
      'f:labels': { '.': {}, 'f:app': {} },
    })
    expect(v1['f:spec']['f:selector']).toEqual({})
    expect(v1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}']).toEqual({
      '.': {},
      'f:image': {},
      'f:name': {},
    })
    expect(v1['f:status']).toBeUndefined()
    expect(v1['f:apiVersion']).toBeUndefined()
  })

  test('another manager changing a field takes it over; untouched fields stay', () => {
    const old = created()
    const mf0 = updateManagedFields(
      undefined,
      old,
      'kubectl-client-side-apply',
      'Update',
      'apps/v1',
      undefined,
      opts(T1),
    )
    const stored = { ...old, metadata: { ...old.metadata, managedFields: mf0 } }
    const next = structuredClone(stored)
    next.spec.replicas = 3
    const mf = updateManagedFields(stored, next, 'kubectl-edit', 'Update', 'apps/v1', undefined, opts(T2))
    expect(mf.map((e) => e.manager)).toEqual(['kubectl-client-side-apply', 'kubectl-edit'])
    expect(fieldsOf(mf, 'kubectl-edit').paths()).toEqual([['f:spec', 'f:replicas']])
    expect(fieldsOf(mf, 'kubectl-client-side-apply').has(['f:spec', 'f:replicas'])).toBe(false)
    expect(fieldsOf(mf, 'kubectl-client-side-apply').has(['f:metadata', 'f:labels', 'f:app'])).toBe(true)
  })

  test('a manager left with nothing is dropped; removed fields leave every set', () => {
    const old = created()
    const mf0 = updateManagedFields(undefined, old, 'a', 'Update', 'apps/v1', undefined, opts(T1))
    const s1 = { ...old, metadata: { ...old.metadata, managedFields: mf0 } }
    const n1 = structuredClone(s1)
    n1.spec.replicas = 2
    const mf1 = updateManagedFields(s1, n1, 'b', 'Update', 'apps/v1', undefined, opts(T2))
    const s2 = { ...n1, metadata: { ...n1.metadata, managedFields: mf1 } }
    const n2: any = structuredClone(s2)
    delete n2.spec.replicas
    const mf2 = updateManagedFields(s2, n2, 'c', 'Update', 'apps/v1', undefined, opts(T2))
    expect(mf2.map((e) => e.manager)).toEqual(['a'])
  })

  test('an unchanged update keeps the time stamp', () => {
    const old = created()
    const mf0 = updateManagedFields(undefined, old, 'a', 'Update', 'apps/v1', undefined, opts(T1))
    const stored = { ...old, metadata: { ...old.metadata, managedFields: mf0 } }
    const mf = updateManagedFields(stored, structuredClone(stored), 'a', 'Update', 'apps/v1', undefined, opts(T2))
    expect(mf).toEqual(mf0)
  })

  test('status subresource writes are recorded with their subresource', () => {
    const old = created()
    const next = structuredClone(old)
    next.status.replicas = 1
    const mf = updateManagedFields(
      old,
      next,
      'kube-controller-manager',
      'Update',
      'apps/v1',
      'status',
      opts(T1, { resetFields: ['spec', 'metadata'] }),
    )
    expect(mf).toEqual([
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:status': { 'f:replicas': {} } },
        subresource: 'status',
      },
    ])
  })

  test('a client sending managedFields: [] resets tracking', () => {
    const old = created()
    const mf0 = updateManagedFields(undefined, old, 'a', 'Update', 'apps/v1', undefined, opts(T1))
    const stored = { ...old, metadata: { ...old.metadata, managedFields: mf0 } }
    const next: any = structuredClone(stored)
    next.metadata.managedFields = []
    next.spec.replicas = 5
    const mf = updateManagedFields(stored, next, 'b', 'Update', 'apps/v1', undefined, opts(T2))
    expect(mf.map((e) => e.manager)).toEqual(['b'])
  })

  test("kubectl's client-side to server-side upgrade (a JSON patch replacing managedFields) is kept as sent", () => {
    const old = created()
    const mf0 = updateManagedFields(
      undefined,
      old,
      'kubectl-client-side-apply',
      'Update',
      'apps/v1',
      undefined,
      opts(T1),
    )
    const stored = { ...old, metadata: { ...old.metadata, managedFields: mf0 } }
    const upgraded = mf0.map((e) => ({ ...e, manager: 'kubectl', operation: 'Apply' as const }))
    const next: any = structuredClone(stored)
    next.metadata.managedFields = upgraded
    const mf = updateManagedFields(stored, next, 'kubectl', 'Update', 'apps/v1', undefined, opts(T2))
    expect(mf).toEqual(upgraded)
  })
})
