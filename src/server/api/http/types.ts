// What the HTTP surface needs from the rest of the server. Everything is injected so the layer can be
// tested with a fake store and assembled in src/server/api/index.ts with the real pieces.
import type { Authorizer, PeerIdentity, UserInfo } from '../../auth/types.ts'
import type { KubeObject, Registry, ResourceDef } from '../../registry/index.ts'
import type { RequestContext, ResourceStore } from '../store/types.ts'
import type { ProtobufDecoder } from './decode-body.ts'
import type { HealthCheck } from './health.ts'
import type { ApiMetrics } from './metrics.ts'
import type { RequestInfo } from './request-info.ts'

export interface TableOptions {
  /** 'None' | 'Object' | 'PartialObjectMetadata' (upstream includeObject, default PartialObjectMetadata) */
  includeObject: 'None' | 'Object' | 'PartialObjectMetadata'
  /** omit columnDefinitions (later watch events) */
  noHeaders?: boolean
}

export type TableRenderer = (
  def: ResourceDef,
  objects: KubeObject[],
  opts: TableOptions & { resourceVersion?: string; continue?: string; remainingItemCount?: number },
) => KubeObject

/** Serialized OpenAPI documents (the OpenAPI cache keeps them per registry state). */
export interface OpenApiSource {
  v3Index(): string
  /** `api/v1` or `apis/<group>/<version>`; undefined when not served */
  v3Document(key: string): string | undefined
  v2(): string
}

/** A request for a subresource served outside the store (log, exec, proxy, token, binding, ...).
 * Returns undefined to fall through to the default (503 for streaming ones). */
export type SubresourceHandler = (call: SubresourceCall) => Promise<Response | undefined> | Response | undefined

export interface SubresourceCall {
  req: Request
  info: RequestInfo
  def: ResourceDef
  store: ResourceStore
  ctx: RequestContext
  /** Bun server for WebSocket upgrades (exec/attach/portforward) */
  server?: unknown
  body?: unknown
}

export interface ApiServerOptions {
  registry: Registry
  storage: { storeFor(def: ResourceDef): ResourceStore }
  /** client certificate identity → bearer token → anonymous (undefined). Throws 401 ApiError for bad credentials. */
  authenticate(req: Request, peer: PeerIdentity): Promise<UserInfo | undefined> | UserInfo | undefined
  authorize: Authorizer
  /** Resolves Impersonate-* headers after the caller is authenticated (checks `impersonate` permissions). */
  impersonate?(req: Request, user: UserInfo, authorize: Authorizer): Promise<UserInfo> | UserInfo
  /** Authenticates a bearer token for TokenReview. */
  reviewToken?(token: string): Promise<UserInfo | undefined>
  /** Lists rules for SelfSubjectRulesReview. */
  rulesFor?(
    user: UserInfo,
    namespace: string,
  ): { resourceRules: unknown[]; nonResourceRules: unknown[]; incomplete: boolean }
  protobuf?: ProtobufDecoder
  renderTable?: TableRenderer
  openapi?: OpenApiSource
  healthChecks?: HealthCheck[]
  /** host:port advertised in /api's serverAddressByClientCIDRs */
  serverAddress?: string
  /** extra subresource handlers by `resource/subresource` (e.g. `pods/log`) */
  subresources?: Record<string, SubresourceHandler>
  /** ResourceDefs for a CustomResourceDefinition object (one per served version) */
  defsFromCrd?(crd: KubeObject): ResourceDef[]
  /** Called after each successful write through HTTP (CRD establishment hooks here). */
  onWrite?(
    def: ResourceDef,
    verb: 'create' | 'update' | 'patch' | 'delete',
    obj: KubeObject,
    ctx: RequestContext,
    deleted?: boolean,
  ): Promise<void> | void
  /** Request counters behind /metrics (one per server; a fresh one when absent). */
  metrics?: ApiMetrics
  /** Extra non-resource paths served after authorization (OIDC issuer discovery); undefined = not mine. */
  nonResource?(req: Request, path: string): Promise<Response | undefined> | Response | undefined
  /** Finds duplicate keys in a JSON/YAML body: upstream paths such as `metadata.name`. */
  findDuplicateKeys?(text: string): string[]
}

export type ApiHandler = (req: Request, peer?: PeerIdentity, server?: unknown) => Promise<Response>
