// The in-process Client: controllers, the scheduler and addons call the REST storage directly (no HTTP
// hop) with the same semantics and errors as the HTTP API, as a system:masters identity. Objects are
// copied in and out, so callers may mutate what they get without touching the watch cache.
import { ApiError, methodNotAllowed } from '../../shared/errors.ts'
import type { RequestContext, ResourceStore } from '../api/store/types.ts'
import type { UserInfo } from '../auth/types.ts'
import type { KubeObject, ResourceDef } from '../registry/types.ts'
import type {
  Client,
  DeleteOptions,
  ListOptions,
  ListResult,
  PatchType,
  ResourceRef,
  WatchEvent,
  WatchHandle,
  WatchOptions,
  WriteOptions,
} from './types.ts'

export const CONTROLLER_USER: UserInfo = { name: 'system:kube-controller-manager', groups: ['system:masters'] }

export interface InProcessDeps {
  storage: { storeFor(def: ResourceDef): ResourceStore }
  registry: { get(group: string, version: string, plural: string): ResourceDef | undefined }
  user?: UserInfo
}

const copy = <T>(v: T): T => structuredClone(v)
/** What goes over the wire: a JSON round trip, so `undefined` fields vanish exactly as over HTTP
 * (the stores and validation would otherwise see them as present with a wrong type). */
const wire = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)))

export function inProcessClient(deps: InProcessDeps): Client {
  const user = deps.user ?? CONTROLLER_USER

  function storeOf(ref: ResourceRef): ResourceStore {
    const def = deps.registry.get(ref.group, ref.version, ref.resource)
    if (!def) {
      const gv = ref.group ? `${ref.group}/${ref.version}` : ref.version
      throw new ApiError(
        404,
        'NotFound',
        `the server could not find the requested resource (${gv}, Resource=${ref.resource})`,
      )
    }
    return deps.storage.storeFor(def)
  }

  const ctx = (opts?: WriteOptions): RequestContext => ({
    user,
    dryRun: opts?.dryRun,
    fieldManager: opts?.fieldManager,
    fieldValidation: 'Strict',
    warnings: [],
  })

  const nsOf = (ref: ResourceRef, obj?: KubeObject) => ref.namespace ?? obj?.metadata?.namespace

  return {
    async get<T>(ref: ResourceRef, name: string): Promise<T> {
      return copy(await storeOf(ref).get(ref.namespace, name)) as T
    },
    async list<T>(ref: ResourceRef, opts: ListOptions = {}): Promise<ListResult<T>> {
      const r = await storeOf(ref).list(ref.namespace, opts)
      return {
        items: copy(r.items) as T[],
        resourceVersion: r.resourceVersion,
        ...(r.continue ? { continue: r.continue } : {}),
      }
    },
    watch<T>(ref: ResourceRef, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): WatchHandle {
      return storeOf(ref).watch(ref.namespace, opts, (e) => onEvent({ type: e.type, object: copy(e.object) as T }))
    },
    async create<T>(ref: ResourceRef, obj: T, opts?: WriteOptions): Promise<T> {
      const o = wire(obj) as KubeObject
      return copy(await storeOf(ref).create(nsOf(ref, o), o, ctx(opts))) as T
    },
    async update<T>(ref: ResourceRef, obj: T, opts?: WriteOptions & { subresource?: string }): Promise<T> {
      const o = wire(obj) as KubeObject
      const name = o.metadata?.name
      if (!name) throw new ApiError(400, 'BadRequest', 'resource name may not be empty')
      const r = await storeOf(ref).update(nsOf(ref, o), name, o, ctx(opts), opts?.subresource)
      return copy(r.object) as T
    },
    async patch<T>(
      ref: ResourceRef,
      name: string,
      type: PatchType,
      patch: unknown,
      opts?: WriteOptions & { subresource?: string; force?: boolean },
    ): Promise<T> {
      const r = await storeOf(ref).patch(ref.namespace, name, type, wire(patch), ctx(opts), {
        subresource: opts?.subresource,
        force: opts?.force,
      })
      return copy(r) as T
    },
    async delete(ref: ResourceRef, name: string, opts: DeleteOptions = {}): Promise<KubeObject> {
      const r = await storeOf(ref).delete(ref.namespace, name, opts, ctx(opts))
      return copy(r.object)
    },
    async createSubresource<T>(ref: ResourceRef, name: string, subresource: string, body: KubeObject): Promise<T> {
      const store = storeOf(ref)
      if (!store.createSubresource) throw methodNotAllowed()
      return copy(await store.createSubresource(ref.namespace, name, subresource, wire(body), ctx())) as T
    },
  }
}
