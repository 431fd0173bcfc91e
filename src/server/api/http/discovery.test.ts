import { expect, test } from 'bun:test'
import { builtinRegistry } from '../../registry/index.ts'
import { aggregatedDiscovery, apiGroupList, apiResourceList } from './discovery.ts'

const registry = builtinRegistry()

test('aggregated discovery lists deployments with the autoscaling/v1 Scale subresource', () => {
  const doc = aggregatedDiscovery(registry, false)
  const apps = doc.items.find((g) => g.metadata.name === 'apps')!
  const deployments = apps.versions[0].resources.find((r) => r.resource === 'deployments')!
  expect(deployments.scope).toBe('Namespaced')
  expect(deployments.shortNames).toEqual(['deploy'])
  expect(deployments.subresources).toContainEqual({
    subresource: 'scale',
    responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
    verbs: ['get', 'patch', 'update'],
  })
})

test('the core group is only under /api, with an empty name', () => {
  expect(aggregatedDiscovery(registry, true).items.map((g) => g.metadata.name)).toEqual([''])
  expect(apiGroupList(registry).groups.map((g) => g.name)).not.toContain('')
})

test('legacy resource lists name subresources resource/sub with their own kind', () => {
  const list = apiResourceList(registry, 'apps', 'v1')!
  expect(list.groupVersion).toBe('apps/v1')
  expect(list.resources).toContainEqual({
    name: 'deployments/scale',
    singularName: '',
    namespaced: true,
    group: 'autoscaling',
    version: 'v1',
    kind: 'Scale',
    verbs: ['get', 'patch', 'update'],
  })
  expect(apiResourceList(registry, 'nope', 'v1')).toBeUndefined()
})
