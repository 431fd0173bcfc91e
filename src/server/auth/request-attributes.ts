// Request → authorization attributes, as k8s.io/apiserver's RequestInfoFactory: /api/v1/... and
// /apis/GROUP/VERSION/... are resource requests (verb from the HTTP method, list/watch/deletecollection
// when no name is given), everything else (discovery, /healthz, /openapi) is a non-resource request
// whose verb is the lower-case HTTP method.
import type { RequestAttributes, UserInfo } from './types.ts'

const METHOD_VERBS: Record<string, string> = {
  GET: 'get',
  HEAD: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
}
// Subresources of a namespace itself, not resources inside it: /api/v1/namespaces/NAME/status.
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize'])

/** `metadata.name=foo` (or `==`) in a field selector, which makes a list/watch about one name. */
function exactName(fieldSelector: string | null): string | undefined {
  for (const term of (fieldSelector ?? '').split(',')) {
    const m = /^\s*metadata\.name\s*==?\s*([^\s=!]+)\s*$/.exec(term)
    if (m && !m[1].includes('/') && m[1] !== '.' && m[1] !== '..') return m[1]
  }
  return undefined
}

const truthy = (v: string | null) => v !== null && v !== '' && v !== '0' && v.toLowerCase() !== 'false'

export function requestAttributes(method: string, url: URL, user: UserInfo): RequestAttributes {
  const path = url.pathname
  const base: RequestAttributes = { user, verb: method.toLowerCase(), resourceRequest: false, path }
  let parts = path.split('/').filter(Boolean)
  if (parts.length < 3 || (parts[0] !== 'api' && parts[0] !== 'apis')) return base
  const prefix = parts[0]
  parts = parts.slice(1)
  let apiGroup = ''
  if (prefix === 'apis') {
    if (parts.length < 3) return base
    apiGroup = parts[0]
    parts = parts.slice(1)
  }
  const a: RequestAttributes = { ...base, resourceRequest: true, apiGroup, apiVersion: parts[0] }
  parts = parts.slice(1)

  let verb = METHOD_VERBS[method.toUpperCase()] ?? ''
  // /api/v1/watch/... (deprecated) and /api/v1/proxy/...
  if (parts[0] === 'watch' || parts[0] === 'proxy') {
    if (parts.length < 2) return base
    verb = parts[0]
    parts = parts.slice(1)
  }
  if (parts[0] === 'namespaces' && parts.length > 1) {
    a.namespace = parts[1]
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2)
  }
  a.resource = parts[0]
  if (parts.length >= 2) a.name = parts[1]
  if (parts.length >= 3 && verb !== 'proxy') a.subresource = parts[2]

  if (!a.name && verb === 'get') {
    verb = truthy(url.searchParams.get('watch')) ? 'watch' : 'list'
    const name = exactName(url.searchParams.get('fieldSelector'))
    if (name) a.name = name
  }
  if (!a.name && verb === 'delete') verb = 'deletecollection'
  a.verb = verb
  return a
}
