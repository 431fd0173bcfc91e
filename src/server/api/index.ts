// The API server: the HTTP pipeline (src/server/api/http) over the registry and REST storage, with the
// authn/authz chain from src/server/auth. Returns a Fetch-style handler for the TLS front
// (`fetch(req, identity, server)`) and the CRD establisher to start once storage is ready.
import { authenticate, impersonate, rulesFor } from '../auth/index.ts'
import type { Authorizer, RbacSource, TokenAuthenticator, UserInfo } from '../auth/types.ts'
import { ANONYMOUS } from '../auth/users.ts'
import type { KubeObject, Registry, ResourceDef } from '../registry/index.ts'
import { CrdEstablisher } from './http/crd-establish.ts'
import { createApiHandler } from './http/handler.ts'
import type { HealthCheck } from './http/health.ts'
import { ApiMetrics, type MetricsSources } from './http/metrics.ts'
import type { ApiHandler, ApiServerOptions, OpenApiSource, SubresourceHandler, TableRenderer } from './http/types.ts'
import type { ResourceStore } from './store/types.ts'

export interface ApiServerDeps {
  registry: Registry
  storage: { storeFor(def: ResourceDef): ResourceStore }
  authorize: Authorizer
  tokenAuthenticators?: TokenAuthenticator[]
  /** RBAC objects, for SelfSubjectRulesReview (`kubectl auth can-i --list`) */
  rbacSource?: RbacSource
  protobuf?: (body: Uint8Array) => unknown
  renderTable?: TableRenderer
  openapi?: OpenApiSource
  defsFromCrd?: (crd: KubeObject) => ResourceDef[]
  findDuplicateKeys?: (text: string) => string[]
  healthChecks?: HealthCheck[]
  serverAddress?: string
  subresources?: Record<string, SubresourceHandler>
  /** figures /metrics reads at scrape time */
  metricsSources?: MetricsSources
  /** extra non-resource paths after authorization (OIDC issuer discovery) */
  nonResource?: ApiServerOptions['nonResource']
}

export interface ApiServer {
  fetch: ApiHandler
  /** present when defsFromCrd was given; start() after storage is ready */
  crds?: CrdEstablisher
}

export function createApiServer(deps: ApiServerDeps): ApiServer {
  const tokens = deps.tokenAuthenticators ?? []
  const crdDef = deps.registry.get('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')
  const crds =
    deps.defsFromCrd && crdDef
      ? new CrdEstablisher(deps.registry, deps.storage.storeFor(crdDef), deps.defsFromCrd, (d) =>
          deps.storage.storeFor(d),
        )
      : undefined

  const opts: ApiServerOptions = {
    registry: deps.registry,
    storage: deps.storage,
    authorize: deps.authorize,
    async authenticate(req, peer) {
      const user = await authenticate(req, peer, tokens)
      // Anonymous requests reach only /healthz, /livez, /readyz and /version (served before this).
      return user.name === ANONYMOUS ? undefined : user
    },
    impersonate: (req, user, authorize) => impersonate(req, user, authorize),
    async reviewToken(token) {
      for (const a of tokens) {
        const u = await a.authenticate(token).catch(() => undefined)
        if (u) return u
      }
      return undefined
    },
    rulesFor: deps.rbacSource ? (user: UserInfo, ns: string) => rulesFor(deps.rbacSource!, user, ns) as any : undefined,
    protobuf: deps.protobuf,
    renderTable: deps.renderTable,
    openapi: deps.openapi,
    healthChecks: deps.healthChecks,
    serverAddress: deps.serverAddress,
    subresources: deps.subresources,
    findDuplicateKeys: deps.findDuplicateKeys,
    metrics: new ApiMetrics(deps.metricsSources),
    nonResource: deps.nonResource,
    async onWrite(def, verb, obj, _ctx, deleted) {
      if (!crds || def.group !== 'apiextensions.k8s.io' || def.plural !== 'customresourcedefinitions') return
      if (verb === 'delete') {
        if (deleted) await crds.removed(obj)
      } else if (!_ctx.dryRun) await crds.apply(obj)
    },
  }
  return { fetch: createApiHandler(opts), crds }
}

export type { ApiHandler, OpenApiSource, SubresourceHandler, TableRenderer } from './http/types.ts'
