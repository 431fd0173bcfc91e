import { expect, test } from 'bun:test'
import { parseRequestInfo } from './request-info.ts'

const cases: [string, string, Record<string, unknown>][] = [
  ['GET', '/api/v1/namespaces/default/pods', { verb: 'list', resource: 'pods', namespace: 'default', apiGroup: '' }],
  ['GET', '/api/v1/namespaces/default/pods?watch=true', { verb: 'watch', resource: 'pods' }],
  ['GET', '/api/v1/watch/namespaces/default/pods/web', { verb: 'watch', name: 'web' }],
  ['GET', '/api/v1/pods', { verb: 'list', resource: 'pods', namespace: undefined }],
  ['GET', '/api/v1/namespaces/kube-system', { verb: 'get', resource: 'namespaces', name: 'kube-system' }],
  [
    'PUT',
    '/api/v1/namespaces/x/finalize',
    { verb: 'update', resource: 'namespaces', name: 'x', subresource: 'finalize' },
  ],
  [
    'PATCH',
    '/apis/apps/v1/namespaces/d/deployments/web/scale',
    { verb: 'patch', apiGroup: 'apps', subresource: 'scale' },
  ],
  ['DELETE', '/apis/apps/v1/namespaces/d/deployments', { verb: 'deletecollection' }],
  ['DELETE', '/apis/apps/v1/namespaces/d/deployments/web', { verb: 'delete', name: 'web' }],
  ['POST', '/api/v1/namespaces/d/pods/p/binding', { verb: 'create', subresource: 'binding' }],
  ['GET', '/api/v1/namespaces/d/pods/p/proxy/a/b', { subresource: 'proxy', rest: ['a', 'b'] }],
  ['GET', '/apis/apps/v1', { resourceRequest: false, verb: 'get' }],
  ['GET', '/version', { resourceRequest: false }],
]

test.each(cases)('%s %s', (method, path, want) => {
  const url = new URL(`https://x${path}`)
  const info = parseRequestInfo(method, url.pathname, url.searchParams)
  for (const [k, v] of Object.entries(want)) expect(info[k as keyof typeof info]).toEqual(v as any)
})
