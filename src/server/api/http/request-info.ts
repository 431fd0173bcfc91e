// Parses a request path + method into what it asks for, as k8s.io/apiserver's RequestInfoFactory does:
// /api/v1/[watch/][namespaces/NS/]RESOURCE[/NAME[/SUBRESOURCE[/...]]] and /apis/GROUP/VERSION/... .
// Everything else is a non-resource request (/version, /healthz, /openapi/v3, discovery roots).

export interface RequestInfo {
  resourceRequest: boolean
  path: string
  /** API verb for resource requests (get, list, watch, create, update, patch, delete, deletecollection),
   * lower-case HTTP method otherwise */
  verb: string
  apiPrefix?: 'api' | 'apis'
  apiGroup?: string
  apiVersion?: string
  namespace?: string
  resource?: string
  name?: string
  subresource?: string
  /** path segments after the subresource (proxy paths) */
  rest?: string[]
}

/** Namespace subresources that stay on the namespace itself (upstream namespaceSubresources). */
const namespaceSubresources = new Set(['status', 'finalize'])

const methodVerbs: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch' }

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const nonResource: RequestInfo = { resourceRequest: false, path, verb: method.toLowerCase() }
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
  let rest: string[]
  const info: RequestInfo = { resourceRequest: false, path, verb: method.toLowerCase() }
  if (parts[0] === 'api') {
    if (parts.length < 2) return nonResource
    info.apiPrefix = 'api'
    info.apiGroup = ''
    info.apiVersion = parts[1]
    rest = parts.slice(2)
  } else if (parts[0] === 'apis') {
    if (parts.length < 3) return nonResource
    info.apiPrefix = 'apis'
    info.apiGroup = parts[1]
    info.apiVersion = parts[2]
    rest = parts.slice(3)
  } else return nonResource
  // /api/v1 and /apis/G/V themselves are discovery documents.
  if (!rest.length)
    return { ...nonResource, apiPrefix: info.apiPrefix, apiGroup: info.apiGroup, apiVersion: info.apiVersion }

  info.resourceRequest = true
  let watchPrefix = false
  if (rest[0] === 'watch') {
    watchPrefix = true
    rest = rest.slice(1)
  }
  if (rest[0] === 'namespaces' && rest.length > 1) {
    info.namespace = rest[1]
    if (rest.length > 2 && !namespaceSubresources.has(rest[2])) rest = rest.slice(2)
  }
  info.resource = rest[0]
  if (rest.length > 1) info.name = rest[1]
  if (rest.length > 2) info.subresource = rest[2]
  if (rest.length > 3) info.rest = rest.slice(3)

  if (watchPrefix) info.verb = 'watch'
  else if (method === 'GET' || method === 'HEAD') {
    const watch = query.get('watch')
    if (info.name) info.verb = 'get'
    else info.verb = watch === 'true' || watch === '1' ? 'watch' : 'list'
  } else if (method === 'DELETE') info.verb = info.name ? 'delete' : 'deletecollection'
  else info.verb = methodVerbs[method] ?? method.toLowerCase()
  // A single object watched by name (legacy /watch/.../NAME) is a list-watch with a name field selector upstream.
  return info
}
