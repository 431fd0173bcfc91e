// Query parameters → store options, validated as kube-apiserver does (bad values are 400 BadRequest).
import { badRequest } from '../../../shared/errors.ts'
import type { UserInfo } from '../../auth/types.ts'
import type { DeleteOptions, ListOptions, WatchOptions } from '../../client/types.ts'
import type { RequestContext } from '../store/types.ts'

function int(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name)
  if (v === null || v === '') return undefined
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid ${name} "${v}": must be an integer`)
  return Number(v)
}

const bool = (v: string | null) => v === 'true' || v === '1' || v === 't' || v === 'True'

export function listOptions(query: URLSearchParams): ListOptions {
  const o: ListOptions = {}
  const ls = query.get('labelSelector')
  const fs = query.get('fieldSelector')
  if (ls) o.labelSelector = ls
  if (fs) o.fieldSelector = fs
  const limit = int(query, 'limit')
  if (limit !== undefined && limit > 0) o.limit = limit
  const cont = query.get('continue')
  if (cont) o.continue = cont
  const rv = query.get('resourceVersion')
  if (rv !== null) o.resourceVersion = rv
  if (cont && rv && rv !== '0') throw badRequest('specifying resource version is not allowed when using continue')
  return o
}

/** Watch options; `name` (a watch on one object) becomes a metadata.name field selector, as upstream. */
export function watchOptions(query: URLSearchParams, name?: string): WatchOptions {
  const o: WatchOptions = {}
  const ls = query.get('labelSelector')
  let fs = query.get('fieldSelector') ?? ''
  if (name) fs = fs ? `${fs},metadata.name=${name}` : `metadata.name=${name}`
  if (ls) o.labelSelector = ls
  if (fs) o.fieldSelector = fs
  const rv = query.get('resourceVersion')
  if (rv !== null) o.resourceVersion = rv
  if (bool(query.get('allowWatchBookmarks'))) o.allowBookmarks = true
  const t = int(query, 'timeoutSeconds')
  if (t !== undefined && t > 0) o.timeoutSeconds = t
  return o
}

/** Upstream's prefixFromUserAgent: the User-Agent up to its first `/`, printable characters only, at most
 * 128 of them. A request without `fieldManager` is recorded in managedFields under this name (`curl`). */
export function managerFromUserAgent(userAgent: string | null | undefined): string {
  if (!userAgent) return ''
  const head = userAgent.split('/', 1)[0] ?? ''
  let out = ''
  for (const ch of head) {
    if (out.length >= 128) break
    if (/\p{C}/u.test(ch)) continue
    out += ch
  }
  return out
}

export function requestContext(
  user: UserInfo,
  query: URLSearchParams,
  warnings: string[] = [],
  userAgent?: string | null,
): RequestContext {
  const ctx: RequestContext = { user, warnings }
  const dry = query.getAll('dryRun')
  for (const d of dry) {
    if (d !== 'All') throw badRequest(`dryRun: Unsupported value: "${d}": supported values: "All"`)
  }
  if (dry.length) ctx.dryRun = true
  const fm = query.get('fieldManager')
  if (fm !== null) {
    if (fm.length > 128) throw badRequest('fieldManager: Too long: may not be more than 128 bytes')
    ctx.fieldManager = fm
  } else {
    // upstream managerOrUserAgent: no fieldManager → the User-Agent's product name
    const m = managerFromUserAgent(userAgent)
    if (m) ctx.fieldManager = m
  }
  const fv = query.get('fieldValidation')
  if (fv !== null && fv !== '') {
    if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') {
      throw badRequest(`fieldValidation: Unsupported value: "${fv}": supported values: "Ignore", "Strict", "Warn"`)
    }
    ctx.fieldValidation = fv
  } else ctx.fieldValidation = 'Warn'
  return ctx
}

/** DeleteOptions from the body (kubectl sends one) merged over the query parameters. */
export function deleteOptions(query: URLSearchParams, body: unknown): DeleteOptions {
  const o: DeleteOptions = {}
  const grace = int(query, 'gracePeriodSeconds')
  if (grace !== undefined) o.gracePeriodSeconds = grace
  const pp = query.get('propagationPolicy')
  if (pp) o.propagationPolicy = propagation(pp)
  if (query.getAll('dryRun').length) o.dryRun = true
  if (body && typeof body === 'object') {
    const b = body as Record<string, any>
    if (typeof b.gracePeriodSeconds === 'number') o.gracePeriodSeconds = b.gracePeriodSeconds
    if (b.propagationPolicy) o.propagationPolicy = propagation(b.propagationPolicy)
    else if (b.orphanDependents === true) o.propagationPolicy = 'Orphan'
    else if (b.orphanDependents === false) o.propagationPolicy = 'Background'
    if (b.preconditions && typeof b.preconditions === 'object') o.preconditions = b.preconditions
    if (Array.isArray(b.dryRun) && b.dryRun.includes('All')) o.dryRun = true
  }
  if (o.gracePeriodSeconds !== undefined && o.gracePeriodSeconds < 0) o.gracePeriodSeconds = 0
  return o
}

function propagation(p: string): DeleteOptions['propagationPolicy'] {
  if (p === 'Background' || p === 'Foreground' || p === 'Orphan') return p
  throw badRequest(
    `propagationPolicy: Unsupported value: "${p}": supported values: "Foreground", "Background", "Orphan"`,
  )
}

export const isTrue = bool
