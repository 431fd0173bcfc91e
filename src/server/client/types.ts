// The client controllers, the scheduler, the agent and `kubun simulate` use. Two implementations share
// these semantics: in-process (calls the API handlers directly, no HTTP hop; same authz, validation,
// admission and errors as the HTTP API) and HTTP (for remote agents and simulate). Errors are thrown as
// ApiError (src/shared/errors.ts) carrying the upstream Status, so `err.code === 409` etc. work alike.
import type { KubeObject } from '../registry/types.ts'

/** Which collection: `{ group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default' }`. group '' = core. */
export interface ResourceRef {
  group: string
  version: string
  resource: string
  /** omit for cluster-scoped resources, or to list/watch across all namespaces */
  namespace?: string
}

export interface ListOptions {
  labelSelector?: string
  fieldSelector?: string
  limit?: number
  continue?: string
  /** '0' = served from the watch cache (any recent state); '' = consistent read */
  resourceVersion?: string
}

export interface ListResult<T = KubeObject> {
  items: T[]
  resourceVersion: string
  continue?: string
}

export interface WatchOptions {
  labelSelector?: string
  fieldSelector?: string
  /** deliver events after this RV; '' or '0' = start with synthetic ADDED events for the current state */
  resourceVersion?: string
  allowBookmarks?: boolean
  timeoutSeconds?: number
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'
export interface WatchEvent<T = KubeObject> {
  type: WatchEventType
  object: T
}

export interface WatchHandle {
  /** stops the watch; no more events after it returns */
  stop(): void
  /** settles when the watch ends (stop, timeout, error such as 410 Expired) */
  done: Promise<void>
}

export interface WriteOptions {
  dryRun?: boolean
  fieldManager?: string
}

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'
  preconditions?: { uid?: string; resourceVersion?: string }
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply'

export interface Client {
  get<T = KubeObject>(ref: ResourceRef, name: string): Promise<T>
  list<T = KubeObject>(ref: ResourceRef, opts?: ListOptions): Promise<ListResult<T>>
  watch<T = KubeObject>(ref: ResourceRef, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): WatchHandle
  create<T = KubeObject>(ref: ResourceRef, obj: T, opts?: WriteOptions): Promise<T>
  /** PUT; obj.metadata.resourceVersion gives optimistic concurrency (409 Conflict on mismatch) */
  update<T = KubeObject>(ref: ResourceRef, obj: T, opts?: WriteOptions & { subresource?: string }): Promise<T>
  patch<T = KubeObject>(
    ref: ResourceRef,
    name: string,
    type: PatchType,
    patch: unknown,
    opts?: WriteOptions & { subresource?: string; force?: boolean },
  ): Promise<T>
  delete(ref: ResourceRef, name: string, opts?: DeleteOptions): Promise<KubeObject>
  /** POST to a subresource (binding, eviction, token); returns the response object */
  createSubresource<T = KubeObject>(ref: ResourceRef, name: string, subresource: string, body: KubeObject): Promise<T>
}
