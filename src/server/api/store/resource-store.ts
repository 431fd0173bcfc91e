// ResourceStore for one ResourceDef: each verb lives in its own module over the shared StoreCore.

import { methodNotAllowed } from '../../../shared/errors.ts'
import type {
  DeleteOptions,
  ListOptions,
  PatchType,
  WatchEvent,
  WatchHandle,
  WatchOptions,
} from '../../client/types.ts'
import type { KubeObject, ResourceDef } from '../../registry/types.ts'
import { createObject } from './create.ts'
import { deleteCollection, deleteObject } from './delete.ts'
import { patchObject } from './patch-object.ts'
import { createPodSubresource } from './pod-subresources.ts'
import { getObject, listObjects, watchObjects } from './reads.ts'
import { getScale, updateScale } from './scale.ts'
import type { StoreCore } from './store-core.ts'
import type { GetOptions, ListResult, RequestContext, ResourceStore } from './types.ts'
import { updateObject } from './update.ts'

export class CoreResourceStore implements ResourceStore {
  constructor(readonly core: StoreCore) {}

  get def(): ResourceDef {
    return this.core.def
  }

  get(namespace: string | undefined, name: string, _ctx?: RequestContext, opts?: GetOptions): Promise<KubeObject> {
    if (opts?.subresource === 'scale') return getScale(this.core, namespace, name)
    return getObject(this.core, namespace, name, opts?.resourceVersion)
  }

  list(namespace: string | undefined, opts: ListOptions): Promise<ListResult> {
    return listObjects(this.core, namespace, opts)
  }

  watch(namespace: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent) => void): WatchHandle {
    return watchObjects(this.core, namespace, opts, onEvent)
  }

  create(namespace: string | undefined, obj: KubeObject, ctx: RequestContext): Promise<KubeObject> {
    return createObject(this.core, namespace, obj, ctx)
  }

  async update(
    namespace: string | undefined,
    name: string,
    obj: KubeObject,
    ctx: RequestContext,
    subresource?: string,
  ): Promise<{ object: KubeObject; created: boolean }> {
    if (subresource === 'scale')
      return { object: await updateScale(this.core, namespace, name, obj, ctx), created: false }
    return updateObject(this.core, namespace, name, obj, ctx, subresource)
  }

  patch(
    namespace: string | undefined,
    name: string,
    type: PatchType,
    body: unknown,
    ctx: RequestContext,
    opts?: { subresource?: string; force?: boolean },
  ): Promise<KubeObject> {
    return patchObject(this.core, namespace, name, type, body, ctx, opts)
  }

  delete(
    namespace: string | undefined,
    name: string,
    opts: DeleteOptions,
    ctx: RequestContext,
  ): Promise<{ object: KubeObject; deleted: boolean }> {
    return deleteObject(this.core, namespace, name, opts, ctx)
  }

  deleteCollection(
    namespace: string | undefined,
    list: ListOptions,
    opts: DeleteOptions,
    ctx: RequestContext,
  ): Promise<KubeObject[]> {
    return deleteCollection(this.core, namespace, list, opts, ctx)
  }

  /** POST to pods/binding and pods/eviction; other subresources are served elsewhere (405). */
  createSubresource(
    namespace: string | undefined,
    name: string,
    subresource: string,
    body: KubeObject,
    ctx: RequestContext,
  ): Promise<KubeObject> {
    if (this.core.def.group !== '' || this.core.def.plural !== 'pods') throw methodNotAllowed()
    return createPodSubresource(this.core, namespace, name, subresource, body, ctx)
  }

  /** Current objects from the watch cache, synchronously (RBAC authorizer, admission lookups). */
  snapshot(namespace?: string): KubeObject[] {
    return this.core.cache.snapshot(namespace)
  }
}
