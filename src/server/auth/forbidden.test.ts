import { describe, expect, test } from 'bun:test'
import { forbiddenError } from './forbidden.ts'
import type { RequestAttributes } from './types.ts'

const bob = { name: 'bob', groups: [] }
const a = (p: Partial<RequestAttributes>): RequestAttributes => ({
  user: bob,
  verb: 'list',
  resourceRequest: true,
  path: '',
  ...p,
})

describe('forbiddenError', () => {
  test.each<[string, Partial<RequestAttributes>, string | undefined, string]>([
    [
      'namespaced list',
      { resource: 'pods', apiGroup: '', namespace: 'default' },
      undefined,
      'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"',
    ],
    [
      'cluster scope',
      { resource: 'nodes', apiGroup: '' },
      undefined,
      'nodes is forbidden: User "bob" cannot list resource "nodes" in API group "" at the cluster scope',
    ],
    [
      'named, grouped, subresource',
      { verb: 'update', resource: 'deployments', subresource: 'scale', apiGroup: 'apps', namespace: 'x', name: 'web' },
      undefined,
      'deployments.apps "web" is forbidden: User "bob" cannot update resource "deployments/scale" in API group "apps" in the namespace "x"',
    ],
    [
      'path',
      { verb: 'get', resourceRequest: false, path: '/api' },
      undefined,
      'forbidden: User "bob" cannot get path "/api"',
    ],
    [
      'with a reason',
      { verb: 'get', resource: 'pods', apiGroup: '', namespace: 'x', name: 'p' },
      'RBAC: role.rbac.authorization.k8s.io "r" not found',
      'pods "p" is forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "x": RBAC: role.rbac.authorization.k8s.io "r" not found',
    ],
  ])('%s', (_, attrs, reason, message) => {
    const e = forbiddenError(a(attrs), reason)
    expect(e.code).toBe(403)
    expect(e.status.reason).toBe('Forbidden')
    expect(e.message).toBe(message)
  })

  test('details name the resource as upstream', () => {
    const s = forbiddenError(
      a({ verb: 'get', resource: 'deployments', apiGroup: 'apps', namespace: 'x', name: 'web' }),
    ).status
    expect(s.details).toEqual({ name: 'web', group: 'apps', kind: 'deployments' })
  })
})
