// Subresources: status and scale go to the store (kept apart from spec there); binding and eviction act on
// the pod; log/exec/attach/portforward are streamed to the pod's kubelet by pod-proxy.ts's handlers (503
// without them); proxy is not served yet; serviceaccounts/token needs the token signer (a registered handler).
import { ApiError, conflict, methodNotAllowed, notFound, serviceUnavailable } from '../../../shared/errors.ts'
import { requestAttributes } from '../../auth/request-attributes.ts'
import type { UserInfo } from '../../auth/types.ts'
import { renderTable } from '../../registry/index.ts'
import type { KubeObject, ResourceDef } from '../../registry/types.ts'
import type { RequestContext, ResourceStore } from '../store/types.ts'
import { authorizeOrThrow } from './authz.ts'
import { subresourcesOf } from './discovery.ts'
import { negotiate } from './negotiate.ts'
import type { RequestInfo } from './request-info.ts'
import { decodePatch, decodeWriteBody, withKind } from './resource-handler.ts'
import { jsonResponse, successStatus } from './respond.ts'
import { SCALE_DEF, toScale } from './scale.ts'
import { defaultTable, shapeObject, tableOptions } from './shape.ts'
import type { ApiServerOptions } from './types.ts'

export interface SubresourceRequest {
  req: Request
  url: URL
  info: RequestInfo
  def: ResourceDef
  user: UserInfo
  server?: unknown
  store: ResourceStore
  ns: string | undefined
  ctx: RequestContext
}

/** Subresources that read and write the object itself, kept apart by the store (as status). */
const sameKind = new Set(['finalize', 'ephemeralcontainers', 'resize'])
const streaming = new Set(['log', 'exec', 'attach', 'portforward', 'proxy'])
const wsCreate = new Set(['exec', 'attach', 'portforward'])

export async function serveSubresource(r: SubresourceRequest, opts: ApiServerOptions): Promise<Response> {
  const { info, def } = r
  const sub = info.subresource!
  if (!subresourcesOf(def).some((s) => s.name === sub)) throw notFound(`${def.plural}/${sub}`, def.group, info.name!)
  // As upstream's AuthorizePodWebsocketUpgradeCreatePermission: a WebSocket (GET) exec/attach/portforward
  // also needs `create` on the subresource, the verb its POST (SPDY) form always needed.
  if (info.verb === 'get' && wsCreate.has(sub))
    authorizeOrThrow(opts.authorize, requestAttributes('POST', r.url, r.user))
  const custom = opts.subresources?.[`${def.plural}/${sub}`]
  if (custom) {
    const res = await custom({ req: r.req, info, def, store: r.store, ctx: r.ctx, server: r.server })
    if (res) return res
  }
  if (sub === 'status' || sameKind.has(sub)) return statusOrScale(r, false, opts)
  if (sub === 'scale') return statusOrScale(r, true, opts)
  if (sub === 'binding' && info.verb === 'create') return bind(r, opts)
  if (sub === 'eviction' && info.verb === 'create') return evict(r, opts)
  if (streaming.has(sub)) {
    // Make sure the object exists first: kubectl reports NotFound before anything else.
    await r.store.get(r.ns, info.name!, r.ctx)
    throw serviceUnavailable(
      `${def.plural}/${sub} is not available until an agent is connected: this server runs no kubelet yet (start one with kubun agent, or run kubun server without --disable-agent)`,
    )
  }
  if (sub === 'token') {
    throw serviceUnavailable('serviceaccounts/token is not available: the service account token signer is not running')
  }
  throw methodNotAllowed()
}

async function statusOrScale(r: SubresourceRequest, scale: boolean, opts: ApiServerOptions): Promise<Response> {
  const { info, def, store, ns, ctx } = r
  const name = info.name!
  const out = (o: KubeObject) => (scale ? toScale(def, o) : withKind(def, o))
  switch (info.verb) {
    case 'get': {
      const rv = r.url.searchParams.get('resourceVersion') ?? undefined
      const obj = await store.get(ns, name, ctx, { subresource: scale ? 'scale' : undefined, resourceVersion: rv })
      // `kubectl get --subresource=status|scale` asks for a Table like any get.
      const wanted = negotiate(r.req.headers.get('accept'))
      const shaped = scale
        ? shapeObject(SCALE_DEF, toScale(def, obj), wanted, renderTable, tableOptions(r.url.searchParams))
        : shapeObject(def, obj, wanted, opts.renderTable ?? defaultTable, tableOptions(r.url.searchParams))
      return jsonResponse(shaped, 200, undefined, ctx.warnings)
    }
    case 'update': {
      const body = await decodeWriteBody(r.req, def, ctx, opts)
      const res = await store.update(ns, name, body, ctx, info.subresource)
      return jsonResponse(out(res.object), 200, undefined, ctx.warnings)
    }
    case 'patch': {
      const { type, body } = await decodePatch(r.req, def, ctx, opts)
      const force = r.url.searchParams.get('force') === 'true'
      const res = await store.patch(ns, name, type, body, ctx, { subresource: info.subresource, force })
      return jsonResponse(out(res), 200, undefined, ctx.warnings)
    }
  }
  throw methodNotAllowed()
}

/** pods/binding: assigns the pod to a node once, as upstream's BindingREST (409 if already bound). */
async function bind(r: SubresourceRequest, opts: ApiServerOptions): Promise<Response> {
  const binding = await decodeWriteBody(r.req, r.def, r.ctx, opts)
  await bindPod(r.store, r.ns, r.info.name!, binding, r.ctx)
  return jsonResponse(successStatus(undefined, 201), 201, undefined, r.ctx.warnings)
}

/** Assigns a pod to binding.target.name once, as upstream's BindingREST (409 when already bound). Serves
 * both pods/NAME/binding and the legacy POST .../bindings with the pod's name in metadata.name. Goes
 * through the store's binding, the one write that may set spec.nodeName (a pod update may not). */
export async function bindPod(
  pods: ResourceStore,
  ns: string | undefined,
  name: string,
  binding: KubeObject,
  ctx: RequestContext,
): Promise<void> {
  if (pods.createSubresource) {
    await pods.createSubresource(ns, name, 'binding', binding, ctx)
    return
  }
  // a store without subresources (test fakes): read, then update guarded by that resourceVersion
  const node = binding.target?.name
  if (!node) throw new ApiError(422, 'Invalid', `Binding "${name}" is invalid: target.name: Required value`)
  const pod = await pods.get(ns, name, ctx)
  if (pod.spec?.nodeName)
    throw conflict('pods/binding', '', name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`)
  const ann = binding.metadata?.annotations
  const next: KubeObject = { ...pod, spec: { ...pod.spec, nodeName: node } }
  if (ann) next.metadata = { ...next.metadata, annotations: { ...next.metadata?.annotations, ...ann } }
  await pods.update(ns, name, next, ctx)
}

/** pods/eviction: through the store's eviction subresource, which honours PodDisruptionBudgets (429 while
 * the budget allows no disruption, as `kubectl drain` expects) and then deletes the pod. */
async function evict(r: SubresourceRequest, opts: ApiServerOptions): Promise<Response> {
  const { info, store, ns, ctx } = r
  const eviction = await decodeWriteBody(r.req, r.def, ctx, opts)
  const deleteOptions = eviction.deleteOptions ?? {}
  if (Array.isArray(deleteOptions.dryRun) && deleteOptions.dryRun.includes('All')) ctx.dryRun = true
  if (store.createSubresource) await store.createSubresource(ns, info.name!, 'eviction', eviction, ctx)
  else await store.delete(ns, info.name!, { ...deleteOptions, dryRun: ctx.dryRun }, ctx)
  return jsonResponse(successStatus(undefined, 201), 201, undefined, ctx.warnings)
}
