import { describe, expect, test } from 'bun:test'
import { ApplyConflictError, applyConflictStatus, applyPatch } from './apply.ts'
import { FieldSet } from './field-set.ts'
import { type ManagedFieldsEntry, updateManagedFields } from './managed-fields.ts'
import { deploymentSchema } from './schema-fixtures.ts'

const NOW = '2026-11-22T08:00:00Z'
const opts = { schema: deploymentSchema, now: NOW, resetFields: ['status'] }

const config = (
  over: { replicas?: number; image?: string; labels?: Record<string, string>; containers?: any[] } = {},
) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: over.labels ?? { app: 'web' } },
  spec: {
    ...(over.replicas === undefined ? {} : { replicas: over.replicas }),
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: over.containers ?? [{ name: 'web', image: over.image ?? 'nginx:1' }] },
    },
  },
})

/** What the API server stores after create: system metadata, defaults, managedFields. */
const stored = (obj: any, managedFields: ManagedFieldsEntry[]) => ({
  ...obj,
  metadata: { ...obj.metadata, uid: 'u1', resourceVersion: '7', namespace: 'default', managedFields },
})

const fieldsOf = (obj: any, manager: string) =>
  FieldSet.fromFieldsV1(obj.metadata.managedFields.find((e: any) => e.manager === manager)?.fieldsV1)

function conflictOf(fn: () => unknown): ApplyConflictError {
  try {
    fn()
  } catch (e) {
    if (e instanceof ApplyConflictError) return e
    throw e
  }
  throw new Error('expected an apply conflict')
}

/** A Deployment created by `kubectl apply` (client side): kubectl-client-side-apply owns its fields. */
function clientSideApplied() {
  const obj = config({ replicas: 1 })
  return stored(
    obj,
    updateManagedFields(undefined, obj, 'kubectl-client-side-apply', 'Update', 'apps/v1', undefined, opts),
  )
}

describe('applyPatch', () => {
  test('create: the applier owns exactly its configuration', () => {
    const { object, managedFields } = applyPatch(undefined, config({ replicas: 2 }), 'kubectl', opts)
    expect(object.spec.replicas).toBe(2)
    expect(object.metadata.managedFields).toEqual(managedFields)
    expect(managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: NOW,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
            },
          },
        },
      },
    ])
  })

  test('changing a field another manager set is a conflict naming it (kubectl SSA after client-side apply)', () => {
    const live = clientSideApplied()
    const err = conflictOf(() => applyPatch(live, config({ replicas: 3 }), 'kubectl', opts))
    expect(err.code).toBe(409)
    expect(err.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    )
    expect(err.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: err.message,
      reason: 'Conflict',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "kubectl-client-side-apply" using apps/v1',
            field: '.spec.replicas',
          },
        ],
      },
      code: 409,
    })
  })

  test('several conflicts are listed per manager', () => {
    const live = clientSideApplied()
    const err = conflictOf(() => applyPatch(live, config({ replicas: 3, image: 'nginx:2' }), 'kubectl', opts))
    expect(err.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n' +
        '- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
    )
    expect(err.status.details?.causes?.map((c) => c.field)).toEqual([
      '.spec.replicas',
      '.spec.template.spec.containers[name="web"].image',
    ])
  })

  test('applying the current value shares ownership instead of conflicting', () => {
    const live = clientSideApplied()
    const { object } = applyPatch(live, config({ replicas: 1 }), 'kubectl', opts)
    expect(fieldsOf(object, 'kubectl').has(['f:spec', 'f:replicas'])).toBe(true)
    expect(fieldsOf(object, 'kubectl-client-side-apply').has(['f:spec', 'f:replicas'])).toBe(true)
    expect(object.metadata.uid).toBe('u1')
    expect(object.metadata.resourceVersion).toBe('7')
  })

  test('force takes ownership away from the other manager', () => {
    const live = clientSideApplied()
    const { object } = applyPatch(live, config({ replicas: 3 }), 'kubectl', { ...opts, force: true })
    expect(object.spec.replicas).toBe(3)
    expect(fieldsOf(object, 'kubectl').has(['f:spec', 'f:replicas'])).toBe(true)
    expect(fieldsOf(object, 'kubectl-client-side-apply').has(['f:spec', 'f:replicas'])).toBe(false)
    expect(fieldsOf(object, 'kubectl-client-side-apply').has(['f:metadata', 'f:labels', 'f:app'])).toBe(true)
  })

  test('an applier re-applying its own change is never a conflict', () => {
    const a = applyPatch(undefined, config({ replicas: 2 }), 'kubectl', opts).object
    const b = applyPatch(stored(a, a.metadata.managedFields), config({ replicas: 4 }), 'kubectl', opts).object
    expect(b.spec.replicas).toBe(4)
    expect(b.metadata.managedFields).toHaveLength(1)
  })

  test('fields dropped from the configuration are removed', () => {
    const a = applyPatch(
      undefined,
      config({ replicas: 2, labels: { app: 'web', tier: 'front' } }),
      'kubectl',
      opts,
    ).object
    const b = applyPatch(
      stored(a, a.metadata.managedFields),
      config({ labels: { app: 'web' } }),
      'kubectl',
      opts,
    ).object
    expect(b.metadata.labels).toEqual({ app: 'web' })
    expect(b.spec.replicas).toBeUndefined()
    expect(b.metadata.name).toBe('web')
    expect(b.spec.selector).toEqual({ matchLabels: { app: 'web' } })
  })

  test('a container dropped from the configuration is removed, with its defaulted fields', () => {
    const two = [
      { name: 'web', image: 'nginx:1' },
      { name: 'side', image: 'busybox' },
    ]
    const a = applyPatch(undefined, config({ containers: two }), 'kubectl', opts).object
    a.spec.template.spec.containers[1].imagePullPolicy = 'IfNotPresent' // defaulting, owned by nobody
    const b = applyPatch(stored(a, a.metadata.managedFields), config(), 'kubectl', opts).object
    expect(b.spec.template.spec.containers).toEqual([{ name: 'web', image: 'nginx:1' }])
  })

  test('a dropped field another applier also owns is kept', () => {
    const a = applyPatch(undefined, config({ labels: { app: 'web', tier: 'front' } }), 'kubectl', opts).object
    const partial = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { tier: 'front' } } }
    const b = applyPatch(stored(a, a.metadata.managedFields), partial, 'other', opts).object
    const c = applyPatch(b, config(), 'kubectl', opts).object
    expect(c.metadata.labels).toEqual({ app: 'web', tier: 'front' })
    expect(fieldsOf(c, 'other').paths()).toEqual([['f:metadata', 'f:labels', 'f:tier']])
  })

  test('an edit by another manager then conflicts with the applier naming the editor', () => {
    const a = applyPatch(undefined, config(), 'kubectl', opts).object
    const live = stored(a, a.metadata.managedFields)
    const edited: any = structuredClone(live)
    edited.spec.template.spec.containers[0].image = 'nginx:edited'
    edited.metadata.managedFields = updateManagedFields(
      live,
      edited,
      'kubectl-edit',
      'Update',
      'apps/v1',
      undefined,
      opts,
    )
    expect(
      fieldsOf(edited, 'kubectl').has([
        'f:spec',
        'f:template',
        'f:spec',
        'f:containers',
        'k:{"name":"web"}',
        'f:image',
      ]),
    ).toBe(false)
    const err = conflictOf(() => applyPatch(edited, config({ image: 'nginx:1' }), 'kubectl', opts))
    expect(err.conflicts).toEqual([
      { manager: '"kubectl-edit" using apps/v1', field: '.spec.template.spec.containers[name="web"].image' },
    ])
  })

  test('conflicts with another applier print it without an apiVersion', () => {
    const a = applyPatch(undefined, config({ replicas: 1 }), 'team-a', opts).object
    const err = conflictOf(() => applyPatch(a, config({ replicas: 2 }), 'team-b', opts))
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "team-a": .spec.replicas')
  })

  test('objects without managedFields belong to before-first-apply', () => {
    const live = { ...config({ replicas: 1 }), metadata: { name: 'web', uid: 'u1', labels: { app: 'web' } } }
    const err = conflictOf(() => applyPatch(live, config({ replicas: 5 }), 'kubectl', opts))
    expect(err.message).toBe(
      'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas',
    )
  })

  test('finalizers apply as a set', () => {
    const base = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', finalizers: ['a', 'b'] } }
    const a = applyPatch(undefined, base, 'kubectl', opts).object
    const b = applyPatch(a, { ...base, metadata: { name: 'web', finalizers: ['a'] } }, 'kubectl', opts).object
    expect(b.metadata.finalizers).toEqual(['a'])
    expect(b.metadata.managedFields[0].fieldsV1).toEqual({ 'f:metadata': { 'f:finalizers': { 'v:"a"': {} } } })
  })

  test('status in an apply to the main resource is not tracked when status is a reset field', () => {
    const { managedFields } = applyPatch(undefined, { ...config(), status: { replicas: 9 } }, 'kubectl', opts)
    expect((managedFields[0].fieldsV1 as any)['f:status']).toBeUndefined()
  })

  test('the input objects are not mutated', () => {
    const live = clientSideApplied()
    const before = structuredClone(live)
    const cfg = config({ replicas: 1 })
    applyPatch(live, cfg, 'kubectl', opts)
    expect(live).toEqual(before)
    expect(cfg).toEqual(config({ replicas: 1 }))
  })
})

test('applyConflictStatus builds the 409 body', () => {
  const s = applyConflictStatus([{ manager: '"mgr" using apps/v1', field: '.spec.replicas' }])
  expect(s.code).toBe(409)
  expect(s.reason).toBe('Conflict')
  expect(s.details?.causes).toEqual([
    { reason: 'FieldManagerConflict', message: 'conflict with "mgr" using apps/v1', field: '.spec.replicas' },
  ])
})

describe('invalid apply configurations are 400s', () => {
  test('managedFields in the configuration', () => {
    const cfg: any = config()
    cfg.metadata.managedFields = []
    expect(() => applyPatch(undefined, cfg, 'kubectl', opts)).toThrow('metadata.managedFields must be nil')
  })
  test('duplicate keys in an associative list', () => {
    const cfg = config({ containers: [{ name: 'web' }, { name: 'web', image: 'x' }] })
    let err: any
    try {
      applyPatch(undefined, cfg, 'kubectl', opts)
    } catch (e) {
      err = e
    }
    expect(err.code).toBe(400)
    expect(err.message).toContain('.spec.template.spec.containers: duplicate entries for key [name="web"]')
  })
})
