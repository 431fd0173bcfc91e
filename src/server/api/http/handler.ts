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
import { parseRequestInfo } from './request-info.ts'
import { handleResource } from './resource-handler.ts'
import { errorResponse, jsonResponse } from './respond.ts'
import { isReview, review } from './reviews.ts'
import type { ApiHandler, ApiServerOptions } from './types.ts'
import { versionInfo } from './version.ts'

const notFoundPath = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {})

const hasImpersonation = (h: Headers) =>
  h.has('impersonate-user') || h.has('impersonate-group') || h.has('impersonate-uid')

export function createApiHandler(opts: ApiServerOptions): ApiHandler {
  const discovery = new DiscoveryCache(opts.registry, opts.serverAddress ?? '127.0.0.1:6443')
  const version = JSON.stringify(versionInfo())

  return async (req, peer: PeerIdentity = {}, server) => {
    const url = new URL(req.url)
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
      authorizeOrThrow(opts.authorize, requestAttributes(req.method, url, user))

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
}
