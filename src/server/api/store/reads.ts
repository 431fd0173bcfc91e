// get, list and watch. Lists are served by the watch cache (resourceVersion "0": as it is; "" : after it
// caught up with the datastore's current revision, upstream's consistent list from cache); continued pages
// are read from the datastore at the first page's revision, so a paged list is one consistent snapshot.
import { CompactedError, FutureRevError } from '../../../datastore/errors.ts'
import { prefixEnd } from '../../../datastore/ops.ts'
import { ApiError, badRequest } from '../../../shared/errors.ts'
import { logger } from '../../../shared/log.ts'
import type { ListOptions, WatchEvent, WatchHandle, WatchOptions } from '../../client/types.ts'
import type { KubeObject } from '../../registry/types.ts'
import { groupVersion } from '../../registry/types.ts'
import { compileSelector, pinnedName, type Selector } from '../selectors/index.ts'
import { decodeContinue, encodeContinue } from './continue-token.ts'
import { decodeFromStorage } from './object-meta.ts'
import { keyOf, readLive, resourceNotFound, type StoreCore } from './store-core.ts'
import type { ListResult } from './types.ts'

const log = logger('store')
/** how long a consistent read waits for the watch cache before reading the datastore itself */
const CONSISTENT_WAIT_MS = 3000

export async function getObject(
  core: StoreCore,
  namespace: string | undefined,
  name: string,
  resourceVersion?: string,
): Promise<KubeObject> {
  // A consistent get is served by the watch cache when it has applied every revision the datastore
  // has (the usual case): no datastore read per request. Otherwise read the datastore.
  const caughtUp = core.cache.isReady && core.feed.revision >= core.backend.currentRevision()
  if (resourceVersion === '0' || caughtUp) {
    await core.cache.ready
    const hit = core.cache.get(keyOf(core, namespace, name))
    if (!hit) throw resourceNotFound(core, name)
    // callers often edit what they got and write it back: hand out a copy, never the cached object
    return asServedVersion(core, structuredClone(hit))
  }
  const live = await readLive(core, namespace, name)
  if (!live) throw resourceNotFound(core, name)
  return asServedVersion(core, live.obj)
}

/**
 * Versions of one resource share storage (a CRD's v1 and v2): objects are served with the apiVersion
 * asked for, as upstream's `None` conversion does. (Built-in kinds with real conversions are one version here.)
 */
export function asServedVersion(core: StoreCore, obj: KubeObject): KubeObject {
  if (core.conversion) return core.conversion.fromStorage(obj)
  const gv = groupVersion(core.def)
  return obj.apiVersion === gv || obj.kind === undefined ? obj : { ...obj, apiVersion: gv }
}

/** Selectors name the def's fields: with a conversion, match on the converted object. */
function selectorFor(core: StoreCore, opts: { labelSelector?: string; fieldSelector?: string }): Selector {
  const sel = compileSelector(core.def, opts)
  const conv = core.conversion
  if (!conv || sel.empty) return sel
  return { ...sel, matches: (o) => sel.matches(conv.fromStorage(o)) }
}

function servedItems(core: StoreCore, r: ListResult): ListResult {
  const gv = groupVersion(core.def)
  if (!core.conversion && r.items.every((o) => o.apiVersion === gv)) return r
  return { ...r, items: r.items.map((o) => asServedVersion(core, o)) }
}

const collectionPrefix = (core: StoreCore, namespace: string | undefined) =>
  core.def.namespaced && namespace ? `${core.prefix}${namespace}/` : core.prefix

export async function listObjects(
  core: StoreCore,
  namespace: string | undefined,
  opts: ListOptions,
): Promise<ListResult> {
  const sel = selectorFor(core, opts)
  const limit = opts.limit && opts.limit > 0 ? opts.limit : 0
  const keyPrefix = collectionPrefix(core, namespace)
  if (opts.continue) {
    const token = decodeContinue(opts.continue)
    return servedItems(core, await listFromStore(core, keyPrefix, sel, limit, token.rv, `${core.prefix}${token.start}`))
  }
  await core.cache.ready
  const rv = opts.resourceVersion
  if (rv !== '0') {
    const target = rv ? parseRv(rv) : core.backend.currentRevision()
    if (!(await core.feed.waitFor(target, CONSISTENT_WAIT_MS))) {
      if (rv) throw tooLargeRv(target, core.feed.revision)
      log.warn('watch cache behind the datastore; consistent list read from the datastore', { prefix: core.prefix })
      return servedItems(core, await listFromStore(core, keyPrefix, sel, limit, 0, undefined))
    }
  }
  return servedItems(core, listFromCache(core, keyPrefix, sel, limit))
}

function listFromCache(core: StoreCore, keyPrefix: string, sel: Selector, limit: number): ListResult {
  const revision = core.cache.revision
  const pinned = pinnedName(sel.fields)
  if (pinned !== undefined && (!core.def.namespaced || keyPrefix !== core.prefix)) {
    const hit = core.cache.get(`${keyPrefix}${pinned}`)
    return { items: hit && sel.matches(hit) ? [hit] : [], resourceVersion: String(revision) }
  }
  const { keys, objects } = core.cache.list(keyPrefix)
  const items: KubeObject[] = []
  let i = 0
  for (; i < keys.length; i++) {
    if (limit && items.length === limit) break
    const o = objects.get(keys[i])!
    if (sel.matches(o)) items.push(o)
  }
  let more = false
  for (let j = i; j < keys.length && limit; j++)
    if (sel.matches(objects.get(keys[j])!)) {
      more = true
      break
    }
  const out: ListResult = { items, resourceVersion: String(revision) }
  if (more) {
    out.continue = encodeContinue({ rv: revision, start: keys[i - 1].slice(core.prefix.length) })
    if (sel.empty) out.remainingItemCount = keys.length - i
  }
  return out
}

/** Pages read from the datastore at `rev` (0 = current), resuming strictly after `afterKey`. */
async function listFromStore(
  core: StoreCore,
  keyPrefix: string,
  sel: Selector,
  limit: number,
  rev: number,
  afterKey: string | undefined,
): Promise<ListResult> {
  const end = prefixEnd(keyPrefix)
  let key = afterKey !== undefined && afterKey >= keyPrefix ? `${afterKey}\0` : keyPrefix
  const items: KubeObject[] = []
  let readRev = rev
  let lastKey = ''
  let more = false
  try {
    for (;;) {
      const batch = limit ? Math.max(limit - items.length, 1) + 1 : 0
      const r = await core.backend.range({ key, rangeEnd: end, revision: readRev || undefined, limit: batch })
      if (!readRev) readRev = r.revision
      let k = 0
      for (; k < r.kvs.length; k++) {
        const kv = r.kvs[k]
        if (limit && items.length === limit) {
          more = true
          break
        }
        const o = decodeFromStorage(kv.value, kv.modRevision)
        lastKey = kv.key
        if (sel.matches(o)) items.push(o)
      }
      if (more || !r.more || r.kvs.length === 0) break
      key = `${r.kvs[r.kvs.length - 1].key}\0`
    }
  } catch (err) {
    if (err instanceof CompactedError) throw continueExpired()
    if (err instanceof FutureRevError) throw tooLargeRv(rev, core.backend.currentRevision())
    throw err
  }
  const out: ListResult = { items, resourceVersion: String(readRev) }
  if (more) out.continue = encodeContinue({ rv: readRev, start: lastKey.slice(core.prefix.length) })
  return out
}

export function watchObjects(
  core: StoreCore,
  namespace: string | undefined,
  opts: WatchOptions,
  onEvent: (e: WatchEvent) => void,
): WatchHandle {
  const selector = selectorFor(core, opts)
  if (opts.resourceVersion && opts.resourceVersion !== '0') parseRv(opts.resourceVersion)
  const req = {
    namespace: core.def.namespaced ? namespace : undefined,
    selector,
    resourceVersion: opts.resourceVersion,
    allowBookmarks: opts.allowBookmarks,
    timeoutSeconds: opts.timeoutSeconds,
    kind: core.def.kind,
    apiVersion: groupVersion(core.def),
  }
  const gv = req.apiVersion
  const deliver = (e: WatchEvent) => {
    if (e.type === 'BOOKMARK' || e.type === 'ERROR' || (e.object.apiVersion === gv && !core.conversion))
      return onEvent(e)
    const object = asServedVersion(core, e.object)
    let line: string | undefined
    return onEvent({
      type: e.type,
      object,
      json: () => (line ??= JSON.stringify({ type: e.type, object })),
    } as WatchEvent)
  }
  if (core.cache.isReady) return core.cache.watch(req, deliver)
  return deferredWatch(core, req, deliver)
}

/** A watch on a cache still priming (a CRD's first request): starts once primed, errors arrive in-stream. */
function deferredWatch(
  core: StoreCore,
  req: Parameters<StoreCore['cache']['watch']>[0],
  onEvent: (e: WatchEvent) => void,
): WatchHandle {
  let inner: WatchHandle | undefined
  let stopped = false
  let finish!: () => void
  const done = new Promise<void>((r) => (finish = r))
  core.cache.ready.then(
    () => {
      if (stopped) return finish()
      try {
        inner = core.cache.watch(req, onEvent)
        inner.done.then(finish)
      } catch (err) {
        if (err instanceof ApiError) onEvent({ type: 'ERROR', object: err.status as unknown as KubeObject })
        finish()
      }
    },
    () => finish(),
  )
  return {
    done,
    stop() {
      stopped = true
      if (inner) inner.stop()
      else finish()
    },
  }
}

function parseRv(rv: string): number {
  const n = Number(rv)
  if (!Number.isSafeInteger(n) || n < 0) throw badRequest(`invalid resource version: ${rv}`)
  return n
}

const tooLargeRv = (rv: number, current: number) =>
  new ApiError(504, 'Timeout', `Timeout: Too large resource version: ${rv}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  })

const continueExpired = () =>
  new ApiError(
    410,
    'Expired',
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  )
