// REST storage contract: Kubernetes semantics for one resource over the datastore, below HTTP.
// The HTTP layer (src/server/api/http) and the in-process client both call this; authz happens above it.
// All errors are ApiError (src/shared/errors.ts).
import type { UserInfo } from '../../auth/types.ts'
import type {
  DeleteOptions,
  ListOptions,
  PatchType,
  WatchEvent,
  WatchHandle,
  WatchOptions,
} from '../../client/types.ts'
import type { KubeObject, ResourceDef } from '../../registry/types.ts'

export interface RequestContext {
  user: UserInfo
  dryRun?: boolean
  fieldManager?: string
  /** upstream default for the HTTP API is Strict when kubectl asks, otherwise Warn */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore'
  /** warnings collected while serving, sent back as `Warning: 299 - "..."` headers */
  warnings: string[]
}

export interface ListResult {
  items: KubeObject[]
  resourceVersion: string
  continue?: string
  remainingItemCount?: number
}

/** `resourceVersion: '0'` reads the watch cache; `subresource: 'scale'` returns the autoscaling/v1 Scale. */
export interface GetOptions {
  resourceVersion?: string
  subresource?: string
}

export interface ResourceStore {
  readonly def: ResourceDef
  get(namespace: string | undefined, name: string, ctx?: RequestContext, opts?: GetOptions): Promise<KubeObject>
  /** get returns a private copy. list items are the watch cache's own objects: read-only, copy before editing. */
  list(namespace: string | undefined, opts: ListOptions, ctx?: RequestContext): Promise<ListResult>
  /** Events share their objects with every watcher: treat them as read-only. Each event also has
   * `json()`, the `{"type":..,"object":..}` line serialized once for all watchers (CacheWatchEvent).
   * onEvent may return a Promise to apply backpressure; a watcher that falls ~1000 events behind is closed.
   * A resourceVersion older than the watch cache's window throws 410 Expired. */
  watch(namespace: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent) => void): WatchHandle
  create(namespace: string | undefined, obj: KubeObject, ctx: RequestContext): Promise<KubeObject>
  /** PUT; `subresource` = 'status' | 'scale' | undefined. Returns created=true when PUT created the object. */
  update(
    namespace: string | undefined,
    name: string,
    obj: KubeObject,
    ctx: RequestContext,
    subresource?: string,
  ): Promise<{ object: KubeObject; created: boolean }>
  patch(
    namespace: string | undefined,
    name: string,
    type: PatchType,
    body: unknown,
    ctx: RequestContext,
    opts?: { subresource?: string; force?: boolean },
  ): Promise<KubeObject>
  /** deleted=false when finalizers or a grace period keep the object (then it carries deletionTimestamp). */
  delete(
    namespace: string | undefined,
    name: string,
    opts: DeleteOptions,
    ctx: RequestContext,
  ): Promise<{ object: KubeObject; deleted: boolean }>
  deleteCollection(
    namespace: string | undefined,
    list: ListOptions,
    opts: DeleteOptions,
    ctx: RequestContext,
  ): Promise<KubeObject[]>
  /** POST to an object's subresource handled by storage (pods/binding, pods/eviction): returns a Status. */
  createSubresource?(
    namespace: string | undefined,
    name: string,
    subresource: string,
    body: KubeObject,
    ctx: RequestContext,
  ): Promise<KubeObject>
  /** Current objects from the watch cache, synchronously (for the RBAC authorizer and admission lookups). */
  snapshot?(namespace?: string): KubeObject[]
}
