import { describe, expect, test } from 'bun:test'
import { builtinRegistry, defFromCrd } from '../../registry/index.ts'
import { OpenApiCache } from './cache.ts'
import { openapiV2, openapiV3Document } from './documents.ts'

const reg = builtinRegistry()

describe('OpenAPI v3 document', () => {
  const doc: any = openapiV3Document(reg, 'apps', 'v1')
  test('kinds carry x-kubernetes-group-version-kind and descriptions', () => {
    const d = doc.components.schemas['io.k8s.api.apps.v1.Deployment']
    expect(d['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }])
    expect(d.description).toBe('Deployment enables declarative updates for Pods and ReplicaSets.')
    expect(d.properties.spec).toEqual({
      allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }],
      description: expect.stringContaining('Specification of the desired behavior of the Deployment.'),
    })
  })
  test('patch extensions survive on properties', () => {
    const podSpec = doc.components.schemas['io.k8s.api.core.v1.PodSpec']
    expect(podSpec.properties.containers).toMatchObject({
      type: 'array',
      items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' },
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    })
  })
  test('PATCH operations declare fieldValidation and the GVK (kubectl then validates server-side)', () => {
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', kind: 'Deployment', version: 'v1' })
    expect(patch.parameters.map((p: any) => p.name)).toContain('fieldValidation')
    expect(Object.keys(patch.requestBody.content)).toContain('application/strategic-merge-patch+json')
  })
  test('create-only kinds get only POST', () => {
    const authz: any = openapiV3Document(reg, 'authorization.k8s.io', 'v1')
    expect(Object.keys(authz.paths['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'])).toEqual([
      'post',
      'parameters',
    ])
    expect(authz.paths['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/{name}']).toBeUndefined()
  })
  test('unknown group-version is undefined', () => expect(openapiV3Document(reg, 'nope', 'v1')).toBeUndefined())
})

describe('OpenAPI v2 document', () => {
  const doc: any = openapiV2(reg)
  test('swagger 2.0 with definitions, refs and patch extensions', () => {
    expect(doc.swagger).toBe('2.0')
    const c = doc.definitions['io.k8s.api.core.v1.PodSpec'].properties.containers
    expect(c.items).toEqual({ $ref: '#/definitions/io.k8s.api.core.v1.Container' })
    expect(c['x-kubernetes-patch-merge-key']).toBe('name')
    expect(
      doc.definitions['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy['x-kubernetes-patch-strategy'],
    ).toBe('retainKeys')
    // v2 has no anyOf/nullable/x-kubernetes-int-or-string; int-or-string shows through format.
    expect(doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toEqual({
      type: 'string',
      format: 'int-or-string',
    })
  })
})

describe('OpenApiCache', () => {
  test('documents are cached and dropped when the registry changes', () => {
    const r = builtinRegistry()
    const cache = new OpenApiCache(r)
    const first = cache.v3Index()
    expect(cache.v3Index()).toBe(first)
    expect(cache.document('apis/example.com/v1')).toBeUndefined()
    r.add(
      defFromCrd(
        {
          spec: {
            group: 'example.com',
            scope: 'Cluster',
            names: { plural: 'gadgets', kind: 'Gadget' },
            versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
          },
        },
        'v1',
      ),
    )
    const idx = JSON.parse(cache.v3Index().body)
    expect(idx.paths['apis/example.com/v1'].serverRelativeURL).toStartWith('/openapi/v3/apis/example.com/v1?hash=')
    const doc = JSON.parse(cache.document('apis/example.com/v1')!.body)
    expect(doc.components.schemas['com.example.v1.Gadget']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'example.com', kind: 'Gadget', version: 'v1' },
    ])
    expect(doc.paths['/apis/example.com/v1/gadgets/{name}'].patch).toBeDefined()
    cache.dispose()
  })
})
