// The API server's request pipeline, in upstream's order: health and /version (anonymous), authentication
// (client certificate → bearer token; otherwise 401), impersonation, authorization (RBAC attributes from the
// path and verb), then non-resource documents (discovery, OpenAPI) or a resource handler.
import { ApiError, unauthorized } from '../../../shared/errors.ts'
import { requestAttributes } from '../../auth/request-attributes.ts'
import type { PeerIdentity } from '../../auth/types.ts'
import { authorizeOrThrow } from './authz.ts'
import { decodeObject, readBody } from './decode-body.ts'
import { DiscoveryCache } from './discovery-cache.ts'
import { healthResponse, isHealthPath } from './health.ts'
import { ApiMetrics, METRICS_CONTENT_TYPE, metricVerb } from './metrics.ts'
import { parseRequestInfo, type RequestInfo } from './request-info.ts'
import { handleResource } from './resource-handler.ts'
import { errorResponse, jsonResponse } from './respond.ts'
import { isReview, review } from './reviews.ts'
import type { ApiHandler, ApiServerOptions } from './types.ts'
import { versionInfo } from './version.ts'

const notFoundPath = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {})

const hasImpersonation = (h: Headers) =>
  h.has('impersonate-user') || h.has('impersonate-group') || h.has('impersonate-uid')

const CONNECT = new Set(['exec', 'attach', 'portforward', 'proxy'])

function record(metrics: ApiMetrics, req: Request, info: RequestInfo | undefined, code: number, started: number) {
  const seconds = (performance.now() - started) / 1000
  if (!info?.resourceRequest) {
    metrics.observe({ verb: req.method === 'HEAD' ? 'GET' : req.method }, code, seconds)
    return
  }
  const verb =
    info.subresource && CONNECT.has(info.subresource)
      ? 'CONNECT'
      : metricVerb(req.method, info.verb, req.headers.get('content-type'))
  const scope = info.name ? 'resource' : info.namespace ? 'namespace' : 'cluster'
  metrics.observe(
    {
      verb,
      group: info.apiGroup,
      version: info.apiVersion,
      resource: info.resource,
      subresource: info.subresource,
      scope,
    },
    code,
    seconds,
  )
}

export function createApiHandler(opts: ApiServerOptions): ApiHandler {
  const discovery = new DiscoveryCache(opts.registry, opts.serverAddress ?? '127.0.0.1:6443')
  const version = JSON.stringify(versionInfo())
  const metrics = opts.metrics ?? new ApiMetrics()

  // `seen.info` carries the parsed request out for the metrics labels (set once authenticated)
  const serve = async (
    req: Request,
    peer: PeerIdentity,
    server: unknown,
    url: URL,
    seen: { info?: RequestInfo },
  ): Promise<Response> => {
    const path = url.pathname
    try {
      if (isHealthPath(path)) return healthResponse(path, url.searchParams, opts.healthChecks ?? [])
      if (path === '/version' || path === '/version/') {
        return new Response(version, { headers: { 'content-type': 'application/json' } })
      }
      if (peer.rejected) throw unauthorized()
      let user = await opts.authenticate(req, peer)
      if (!user) throw unauthorized()
      if (hasImpersonation(req.headers)) {
        if (!opts.impersonate) throw new ApiError(403, 'Forbidden', 'impersonation is not supported by this server')
        user = await opts.impersonate(req, user, opts.authorize)
      }
      const info = parseRequestInfo(req.method, path, url.searchParams)
      seen.info = info
      authorizeOrThrow(opts.authorize, requestAttributes(req.method, url, user))
      if (path === '/metrics')
        return new Response(metrics.render(), { headers: { 'content-type': METRICS_CONTENT_TYPE } })
      if (opts.nonResource) {
        const res = await opts.nonResource(req, path)
        if (res) return res
      }

      if (!info.resourceRequest) {
        const doc = discovery.serve(path, req.headers.get('accept'), opts.openapi)
        if (doc) return doc
        throw notFoundPath()
      }
      if (isReview(info.apiGroup, info.resource)) {
        if (info.verb !== 'create')
          throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource')
        const body = decodeObject(await readBody(req), req.headers.get('content-type'), opts.protobuf).value as any
        const out = await review(
          info.apiGroup!,
          info.resource!,
          info.apiVersion!,
          info.namespace,
          body ?? {},
          user,
          opts,
        )
        return jsonResponse(out, 201)
      }
      const def = opts.registry.get(info.apiGroup ?? '', info.apiVersion ?? '', info.resource ?? '')
      if (!def) throw notFoundPath()
      return await handleResource({ req, url, info, def, user, server }, opts)
    } catch (e) {
      return errorResponse(e)
    }
  }

  return async (req, peer: PeerIdentity = {}, server) => {
    const started = performance.now()
    const url = new URL(req.url)
    const seen: { info?: RequestInfo } = {}
    const res = await serve(req, peer, server, url, seen)
    record(metrics, req, seen.info, res.status, started)
    return res
  }
}
