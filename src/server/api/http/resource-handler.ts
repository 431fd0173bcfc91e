// Resource requests: the verb (from method and path) → the ResourceStore, with request decoding,
// field validation of duplicate keys, response shaping (Table, PartialObjectMetadata) and watch streams.
import { ApiError, badRequest, methodNotAllowed, notFound } from '../../../shared/errors.ts'
import type { UserInfo } from '../../auth/types.ts'
import type { PatchType } from '../../client/types.ts'
import { ALL_VERBS, type KubeObject, type ResourceDef, type Verb } from '../../registry/types.ts'
import type { RequestContext } from '../store/types.ts'
import { decodeObject, mediaType, parseJsonBody, parseYamlBody, readBody } from './decode-body.ts'
import { negotiate } from './negotiate.ts'
import { deleteOptions, isTrue, listOptions, requestContext, watchOptions } from './query-options.ts'
import type { RequestInfo } from './request-info.ts'
import { jsonResponse, successStatus } from './respond.ts'
import { defaultTable, shapeList, shapeObject, tableOptions } from './shape.ts'
import { bindPod, serveSubresource } from './subresources.ts'
import type { ApiServerOptions } from './types.ts'
import { watchResponse } from './watch-stream.ts'

export interface ResourceCall {
  req: Request
  url: URL
  info: RequestInfo
  def: ResourceDef
  user: UserInfo
  server?: unknown
}

/** Content type → patch type, as upstream's patch handler (anything else is 415). */
const patchTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
}

export function patchTypeOf(contentType: string | null): PatchType {
  const t = mediaType(contentType)
  const p = patchTypes[t]
  if (!p) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${Object.keys(patchTypes).join(', ')}`,
    )
  }
  return p
}

export const ENDPOINTS_DEPRECATED = 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice'

export async function handleResource(call: ResourceCall, opts: ApiServerOptions): Promise<Response> {
  const { req, url, info, def } = call
  const query = url.searchParams
  const store = opts.storage.storeFor(def)
  const ns = def.namespaced ? info.namespace : undefined
  const warnings: string[] = []
  // upstream 1.33 marks core/v1 Endpoints deprecated: every request for them carries this warning
  if (def.group === '' && def.plural === 'endpoints') warnings.push(ENDPOINTS_DEPRECATED)
  const ctx = requestContext(call.user, query, warnings, req.headers.get('user-agent'))
  if (info.subresource) return serveSubresource({ ...call, store, ns, ctx }, opts)
  // Verbs a kind does not serve (deletecollection on namespaces, writes to read-only kinds) are 405, as upstream.
  if (!(def.verbs ?? ALL_VERBS).includes(info.verb as Verb)) throw methodNotAllowed()
  const wanted = negotiate(req.headers.get('accept'))
  const render = opts.renderTable ?? defaultTable
  const table = tableOptions(query)
  const name = info.name

  switch (info.verb) {
    case 'get': {
      const obj = await store.get(ns, name!, ctx, { resourceVersion: query.get('resourceVersion') ?? undefined })
      return jsonResponse(shapeObject(def, obj, wanted, render, table), 200, undefined, warnings)
    }
    case 'list': {
      const list = await store.list(ns, listOptions(query), ctx)
      return jsonResponse(shapeList(def, list, wanted, render, table), 200, undefined, warnings)
    }
    case 'watch':
      return watchResponse({
        def,
        store,
        namespace: ns,
        opts: watchOptions(query, name),
        wanted,
        render,
        table,
        signal: req.signal,
      })
    case 'create': {
      if (name) throw methodNotAllowed()
      if (def.namespaced && !ns) throw notFound(def.plural, def.group, '')
      const obj = await decodeWriteBody(req, def, ctx, opts)
      setNamespace(obj, ns)
      if (!def.group && def.plural === 'bindings') {
        // Legacy binding: POST .../bindings names the pod in metadata.name; nothing is stored.
        const pods = opts.storage.storeFor(opts.registry.get('', 'v1', 'pods')!)
        await bindPod(pods, ns, obj.metadata?.name ?? '', obj, ctx)
        return jsonResponse(successStatus(undefined, 201), 201, undefined, warnings)
      }
      const created = await store.create(ns, obj, ctx)
      await opts.onWrite?.(def, 'create', created, ctx)
      return jsonResponse(withKind(def, created), 201, undefined, warnings)
    }
    case 'update': {
      const obj = await decodeWriteBody(req, def, ctx, opts)
      setNamespace(obj, ns)
      const bodyName = obj.metadata?.name
      if (bodyName && bodyName !== name) {
        throw badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${name})`)
      }
      obj.metadata = { ...(obj.metadata ?? {}), name }
      const r = await store.update(ns, name!, obj, ctx)
      await opts.onWrite?.(def, 'update', r.object, ctx)
      return jsonResponse(withKind(def, r.object), r.created ? 201 : 200, undefined, warnings)
    }
    case 'patch': {
      const { type, body } = await decodePatch(req, def, ctx, opts)
      // apply needs an explicit fieldManager (the User-Agent fallback does not count), as upstream
      if (type === 'apply' && !query.get('fieldManager')) {
        throw new ApiError(
          422,
          'Invalid',
          'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        )
      }
      const force = isTrue(query.get('force'))
      const patched = await store.patch(ns, name!, type, body, ctx, { force })
      await opts.onWrite?.(def, 'patch', patched, ctx)
      return jsonResponse(withKind(def, patched), 200, undefined, warnings)
    }
    case 'delete': {
      const body = await optionalBody(req)
      const dopts = deleteOptions(query, body)
      // kubectl sends dryRun in the DeleteOptions body; the store reads it from the context.
      if (dopts.dryRun) ctx.dryRun = true
      const r = await store.delete(ns, name!, dopts, ctx)
      await opts.onWrite?.(def, 'delete', r.object, ctx, r.deleted)
      if (!r.deleted) return jsonResponse(withKind(def, r.object), 200, undefined, warnings)
      // Upstream answers an immediate delete with a Success Status naming the object (kubectl waits on its uid).
      const m = r.object.metadata ?? {}
      return jsonResponse(
        successStatus({ name: m.name, ...(def.group ? { group: def.group } : {}), kind: def.plural, uid: m.uid }),
        200,
        undefined,
        warnings,
      )
    }
    case 'deletecollection': {
      const body = await optionalBody(req)
      const dopts = deleteOptions(query, body)
      if (dopts.dryRun) ctx.dryRun = true
      const items = await store.deleteCollection(ns, listOptions(query), dopts, ctx)
      for (const o of items) await opts.onWrite?.(def, 'delete', o, ctx, true)
      const list = { items, resourceVersion: '' }
      return jsonResponse(shapeList(def, list, { as: 'json' }, render, table), 200, undefined, warnings)
    }
  }
  throw methodNotAllowed()
}

export const withKind = (def: ResourceDef, o: KubeObject) =>
  shapeObject(def, o, { as: 'json' }, defaultTable, tableOptions(new URLSearchParams()))

function setNamespace(obj: KubeObject, ns: string | undefined) {
  if (!ns) return
  obj.metadata ??= {}
  if (obj.metadata.namespace && obj.metadata.namespace !== ns) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
  }
  obj.metadata.namespace = ns
}

/** Decodes a create/update body and applies fieldValidation to duplicate keys (unknown fields are the store's). */
export async function decodeWriteBody(
  req: Request,
  def: ResourceDef,
  ctx: RequestContext,
  opts: ApiServerOptions,
): Promise<KubeObject> {
  const bytes = await readBody(req)
  const decoded = decodeObject(bytes, req.headers.get('content-type'), opts.protobuf)
  const value = decoded.value
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(`Object 'Kind' is missing in '${decoded.text ?? ''}'`)
  }
  if (decoded.text && ctx.fieldValidation !== 'Ignore' && opts.findDuplicateKeys) {
    const dups = opts.findDuplicateKeys(decoded.text)
    if (dups.length) strictProblems(def, (value as KubeObject).metadata?.name ?? '', dups, ctx)
  }
  return value as KubeObject
}

/** Strict: reject with upstream's strict decoding message (422, as the issue asks, with field causes so
 * kubectl names the field); Warn: one warning each. */
export function strictProblems(def: ResourceDef, name: string, fields: string[], ctx: RequestContext): void {
  const problems = fields.map((f) => `duplicate field "${f}"`)
  if (ctx.fieldValidation === 'Strict') {
    throw new ApiError(
      422,
      'Invalid',
      `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${problems.join(', ')}`,
      {
        name,
        kind: def.kind,
        group: def.group,
        causes: problems.map((message, i) => ({ reason: 'FieldValueDuplicate', message, field: fields[i] })),
      },
    )
  }
  if (ctx.fieldValidation !== 'Ignore') ctx.warnings.push(...problems)
}

export async function decodePatch(req: Request, def: ResourceDef, ctx: RequestContext, opts: ApiServerOptions) {
  const type = patchTypeOf(req.headers.get('content-type'))
  const text = new TextDecoder().decode(await readBody(req))
  const body = type === 'apply' ? parseYamlBody(text) : parseJsonBody(text)
  if (type === 'apply' && ctx.fieldValidation !== 'Ignore' && opts.findDuplicateKeys) {
    const dups = opts.findDuplicateKeys(text)
    if (dups.length) strictProblems(def, (body as KubeObject)?.metadata?.name ?? '', dups, ctx)
  }
  return { type, body }
}

async function optionalBody(req: Request): Promise<unknown> {
  const bytes = await readBody(req)
  if (!bytes.byteLength) return undefined
  return decodeObject(bytes, req.headers.get('content-type') || 'application/json').value
}
