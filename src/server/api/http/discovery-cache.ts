// Non-resource documents (discovery and OpenAPI), serialized once and dropped when the registry changes
// (a CRD added or removed), so kubectl's many discovery requests cost a map lookup.
import type { Registry } from '../../registry/index.ts'
import { aggregatedDiscovery, apiGroupDoc, apiGroupList, apiResourceList, apiVersions } from './discovery.ts'
import { DISCOVERY_V2_TYPE, negotiate } from './negotiate.ts'
import { OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_ACCEPT, openapiV2Protobuf } from './openapi-v2-protobuf.ts'
import type { OpenApiSource } from './types.ts'
import { versionInfo } from './version.ts'

export class DiscoveryCache {
  private docs = new Map<string, string | null>()
  private v2proto?: Uint8Array

  constructor(
    private registry: Registry,
    private serverAddress: string,
  ) {
    registry.onChange(() => {
      this.docs.clear()
      this.v2proto = undefined
    })
  }

  private cached(key: string, build: () => unknown): string | null {
    let s = this.docs.get(key)
    if (s === undefined) {
      const doc = build()
      s = doc === undefined ? null : JSON.stringify(doc)
      this.docs.set(key, s)
    }
    return s
  }

  serve(path: string, accept: string | null, openapi?: OpenApiSource): Response | undefined {
    const p = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
    const reply = (body: string | null, type = 'application/json') =>
      body === null ? undefined : new Response(body, { headers: { 'content-type': type } })
    if (p === '/api' || p === '/apis') {
      const core = p === '/api'
      if (negotiate(accept).as === 'discovery-v2') {
        return reply(
          this.cached(`v2${p}`, () => aggregatedDiscovery(this.registry, core)),
          DISCOVERY_V2_TYPE,
        )
      }
      return reply(this.cached(p, () => (core ? apiVersions(this.serverAddress) : apiGroupList(this.registry))))
    }
    const parts = p.split('/').filter(Boolean)
    if (parts[0] === 'api' && parts.length === 2) {
      return reply(this.cached(p, () => apiResourceList(this.registry, '', parts[1])))
    }
    if (parts[0] === 'apis' && parts.length === 2)
      return reply(this.cached(p, () => apiGroupDoc(this.registry, parts[1])))
    if (parts[0] === 'apis' && parts.length === 3) {
      return reply(this.cached(p, () => apiResourceList(this.registry, parts[1], parts[2])))
    }
    if (parts[0] === 'openapi' && openapi) {
      // The ?hash= query only lets clients cache forever; the document is the same.
      if (p === '/openapi/v2') {
        if (accept?.includes(OPENAPI_V2_PROTOBUF_ACCEPT)) {
          this.v2proto ??= openapiV2Protobuf(
            this.registry.all(),
            versionInfo().gitVersion,
            (JSON.parse(openapi.v2()) as { definitions?: Record<string, Record<string, unknown>> }).definitions,
          )
          return new Response(this.v2proto, { headers: { 'content-type': OPENAPI_V2_PROTOBUF } })
        }
        return reply(openapi.v2())
      }
      if (p === '/openapi/v3') return reply(openapi.v3Index())
      if (parts[1] === 'v3' && parts.length > 2) return reply(openapi.v3Document(parts.slice(2).join('/')) ?? null)
    }
    return undefined
  }
}
