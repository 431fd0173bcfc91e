import { describe, expect, test } from 'bun:test'
import { requestAttributes } from './request-attributes.ts'

const user = { name: 'bob', groups: [] }
const attrs = (method: string, url: string) => {
  const { user: _, ...rest } = requestAttributes(method, new URL(url, 'https://k'), user)
  return rest
}

describe('requestAttributes', () => {
  test.each<[string, string, Record<string, unknown>]>([
    [
      'GET',
      '/api/v1/namespaces/default/pods',
      { verb: 'list', resource: 'pods', namespace: 'default', apiGroup: '', apiVersion: 'v1' },
    ],
    ['GET', '/api/v1/namespaces/default/pods?watch=true', { verb: 'watch', resource: 'pods', namespace: 'default' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=false', { verb: 'list' }],
    ['GET', '/api/v1/namespaces/default/pods/web', { verb: 'get', resource: 'pods', name: 'web' }],
    [
      'GET',
      '/api/v1/namespaces/default/pods/web/log',
      { verb: 'get', resource: 'pods', name: 'web', subresource: 'log' },
    ],
    ['POST', '/api/v1/namespaces/default/pods/web/exec', { verb: 'create', subresource: 'exec' }],
    ['GET', '/api/v1/pods', { verb: 'list', resource: 'pods', namespace: undefined }],
    ['GET', '/api/v1/namespaces', { verb: 'list', resource: 'namespaces', namespace: undefined }],
    [
      'GET',
      '/api/v1/namespaces/kube-system',
      { verb: 'get', resource: 'namespaces', name: 'kube-system', namespace: 'kube-system' },
    ],
    [
      'PUT',
      '/api/v1/namespaces/x/finalize',
      { verb: 'update', resource: 'namespaces', name: 'x', subresource: 'finalize', namespace: 'x' },
    ],
    [
      'PATCH',
      '/apis/apps/v1/namespaces/a/deployments/d/scale',
      { verb: 'patch', apiGroup: 'apps', resource: 'deployments', subresource: 'scale' },
    ],
    ['DELETE', '/apis/apps/v1/namespaces/a/deployments', { verb: 'deletecollection', resource: 'deployments' }],
    ['DELETE', '/apis/apps/v1/namespaces/a/deployments/d', { verb: 'delete', name: 'd' }],
    [
      'POST',
      '/apis/rbac.authorization.k8s.io/v1/clusterroles',
      { verb: 'create', resource: 'clusterroles', apiGroup: 'rbac.authorization.k8s.io' },
    ],
    ['GET', '/api/v1/namespaces/a/pods?fieldSelector=metadata.name%3Dweb&watch=1', { verb: 'watch', name: 'web' }],
    ['GET', '/api/v1/namespaces/a/pods?fieldSelector=metadata.name%3D%3Dweb', { verb: 'list', name: 'web' }],
    ['GET', '/api/v1/namespaces/a/pods?fieldSelector=metadata.name!%3Dweb', { verb: 'list', name: undefined }],
    ['GET', '/api/v1/watch/namespaces/a/pods', { verb: 'watch', resource: 'pods', namespace: 'a' }],
    ['GET', '/api/v1/namespaces/a/services/web/proxy/x/y', { verb: 'get', resource: 'services', subresource: 'proxy' }],
  ])('%s %s', (method, url, want) => {
    const got: Record<string, unknown> = attrs(method, url)
    // key by key, so `undefined` in the table means "absent"
    for (const [k, v] of Object.entries({ resourceRequest: true, ...want })) expect([k, got[k]]).toEqual([k, v])
  })

  test.each<[string, string, string]>([
    ['GET', '/api', 'get'],
    ['GET', '/api/v1', 'get'],
    ['GET', '/apis/apps/v1', 'get'],
    ['GET', '/healthz', 'get'],
    ['GET', '/openapi/v3/apis/apps/v1', 'get'],
    ['POST', '/version', 'post'],
  ])('%s %s is a non-resource request', (method, url, verb) => {
    expect(attrs(method, url)).toEqual({ verb, resourceRequest: false, path: new URL(url, 'https://k').pathname })
  })
})
