// The stores over the real registry: schemas, defaults and validation hooks as kubectl meets them.
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import type { Backend } from '../../../datastore/backend.ts'
import { openBackend } from '../../../datastore/index.ts'
import { builtinRegistry } from '../../registry/index.ts'
import { bootstrapCluster } from '../bootstrap.ts'
import { type ApiStorage, createApiStorage } from './api-storage.ts'
import { ctx } from './test-fixtures.test-helper.ts'

const registry = builtinRegistry()
let backend: Backend
let storage: ApiStorage
beforeEach(async () => {
  backend = openBackend('memory://')
  await backend.start()
  storage = createApiStorage({ backend, registry })
  await storage.ready
  await bootstrapCluster({ storage, registry }, { serviceCidr: '10.43.0.0/16' })
})
afterEach(async () => {
  storage.close()
  await backend.close()
})

const store = (group: string, plural: string) => storage.storeFor(registry.get(group, 'v1', plural)!)
const cm = (extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c' },
  ...extra,
})

describe('fieldValidation', () => {
  test("Strict refuses unknown fields in a body with upstream's 400 strict decoding message", async () => {
    const p = store('', 'configmaps').create('default', cm({ bogus: 1 }), ctx({ fieldValidation: 'Strict' }))
    await expect(p).rejects.toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message:
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"',
    })
  })

  test('Strict refuses a patch adding unknown fields with a 422 on the field `patch`, as upstream', async () => {
    const strict = ctx({ fieldValidation: 'Strict' })
    await store('', 'configmaps').create('default', cm(), strict)
    const body = { data: { a: '1' }, spec: { foo: 1.5, bar: [true, null] } }
    const p = store('', 'configmaps').patch('default', 'c', 'strategic', body, strict)
    await expect(p).rejects.toMatchObject({
      code: 422,
      message:
        ' "" is invalid: patch: Invalid value: "map[data:map[a:1] spec:map[bar:[true <nil>] foo:1.5]]": strict decoding error: unknown field "spec"',
      details: { causes: [{ reason: 'FieldValueInvalid', field: 'patch' }] },
    })
    const m = store('', 'configmaps').patch('default', 'c', 'merge', { bogus: 1 }, strict)
    await expect(m).rejects.toMatchObject({ code: 422, details: { causes: [{ field: 'patch' }] } })
    expect((await m.catch((e) => e)).message).toContain('\\"bogus\\":1')
  })

  test('Warn stores without the field and warns; Ignore drops it silently', async () => {
    const warn = ctx({ fieldValidation: 'Warn' })
    const a = await store('', 'configmaps').create('default', cm({ bogus: 1 }), warn)
    expect(a.bogus).toBeUndefined()
    expect(warn.warnings).toEqual(['unknown field "bogus"'])
    const ignore = ctx({ fieldValidation: 'Ignore' })
    const b = await store('', 'configmaps').create('default', { ...cm({ bogus: 1 }), metadata: { name: 'd' } }, ignore)
    expect(b.bogus).toBeUndefined()
    expect(ignore.warnings).toEqual([])
  })

  test("values of the wrong type are the Go decoder's 400 (422 on `patch` for a patch)", async () => {
    const p = store('', 'configmaps').create('default', cm({ data: { a: 1 } }), ctx())
    await expect(p).rejects.toMatchObject({
      code: 400,
      message:
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string',
    })
    await store('', 'configmaps').create('default', cm(), ctx())
    const patched = store('', 'configmaps').patch('default', 'c', 'strategic', { data: { a: true } }, ctx())
    await expect(patched).rejects.toMatchObject({
      code: 422,
      message:
        ' "" is invalid: patch: Invalid value: "map[data:map[a:true]]": json: cannot unmarshal bool into Go struct field ConfigMap.data of type string',
    })
  })
})

describe('built-in kinds', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  }

  test('deployment: defaults, scale with the selector, status kept apart', async () => {
    const d = store('apps', 'deployments')
    const created = await d.create('default', deployment, ctx({ fieldManager: 'kubectl' }))
    expect(created.metadata?.generation).toBe(1)
    const sc = await d.get('default', 'web', undefined, { subresource: 'scale' })
    expect(sc.status.selector).toBe('app=web')
    await d.patch('default', 'web', 'merge', { spec: { replicas: 5 } }, ctx(), { subresource: 'scale' })
    const st = await d.patch('default', 'web', 'merge', { status: { replicas: 5, observedGeneration: 2 } }, ctx(), {
      subresource: 'status',
    })
    expect(st.spec.replicas).toBe(5)
    expect(st.status.observedGeneration).toBe(2)
    expect(st.metadata?.generation).toBe(2)
  })

  test('pods: strategic patch of containers by name; bound pods delete gracefully', async () => {
    const pods = store('', 'pods')
    await pods.create(
      'default',
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: {
          containers: [
            { name: 'c', image: 'a' },
            { name: 'd', image: 'b' },
          ],
        },
      },
      ctx(),
    )
    const sp = await pods.patch(
      'default',
      'p',
      'strategic',
      { spec: { containers: [{ name: 'd', image: 'b2' }] } },
      ctx(),
    )
    expect(sp.spec.containers.map((c: { image: string }) => c.image)).toEqual(['a', 'b2'])
    await pods.createSubresource!('default', 'p', 'binding', { target: { name: 'n1' } }, ctx())
    const del = await pods.delete('default', 'p', {}, ctx())
    expect(del.deleted).toBe(false)
    expect(del.object.metadata?.deletionGracePeriodSeconds).toBe(30)
    expect((await pods.delete('default', 'p', { gracePeriodSeconds: 0 }, ctx())).deleted).toBe(true)
  })

  test('services: the kubernetes Service holds the first IP; NodePort allocation with the real defaults', async () => {
    const svcs = store('', 'services')
    const k = await svcs.get('default', 'kubernetes')
    expect(k.spec.clusterIP).toBe('10.43.0.1')
    const s = await svcs.create(
      'default',
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } },
      ctx(),
    )
    expect(s.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000)
    expect(s.spec.clusterIP).not.toBe('10.43.0.1')
    const clash = svcs.create(
      'default',
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 't' },
        spec: { clusterIP: '10.43.0.1', ports: [{ port: 80 }] },
      },
      ctx(),
    )
    await expect(clash).rejects.toMatchObject({ code: 422 })
  })

  test('HPAs written as autoscaling/v1 read as v2 and back', async () => {
    const v1 = storage.storeFor(registry.get('autoscaling', 'v1', 'horizontalpodautoscalers')!)
    const v2 = storage.storeFor(registry.get('autoscaling', 'v2', 'horizontalpodautoscalers')!)
    await v1.create(
      'default',
      {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          maxReplicas: 4,
          targetCPUUtilizationPercentage: 70,
        },
      },
      ctx(),
    )
    const asV2 = await v2.get('default', 'web')
    expect(asV2.apiVersion).toBe('autoscaling/v2')
    expect(asV2.spec.metrics[0].resource.target.averageUtilization).toBe(70)
    const listed = await v1.list('default', {})
    expect(listed.items[0].spec.targetCPUUtilizationPercentage).toBe(70)
  })

  test('the storage keys are upstream’s', async () => {
    const r = await backend.range({ key: '/registry/', rangeEnd: '/registry0', keysOnly: true })
    expect(r.kvs.map((k) => k.key)).toEqual([
      '/registry/ipaddresses/10.43.0.1',
      '/registry/namespaces/default',
      '/registry/namespaces/kube-node-lease',
      '/registry/namespaces/kube-public',
      '/registry/namespaces/kube-system',
      '/registry/services/specs/default/kubernetes',
    ])
  })
})

test('a duplicate container name is reported once, as upstream', async () => {
  const pod = {
    metadata: { name: 'p' },
    spec: {
      containers: [
        { name: 'c', image: 'a' },
        { name: 'c', image: 'b' },
      ],
    },
  }
  const err = await store('', 'pods')
    .create('default', pod, ctx())
    .catch((e) => e)
  expect(err.code).toBe(422)
  expect(err.details.causes).toEqual([
    { reason: 'FieldValueDuplicate', message: 'Duplicate value: "c"', field: 'spec.containers[1].name' },
  ])
})
