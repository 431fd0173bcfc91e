// Response builders. Every error leaves the server as an upstream-shaped Status (ApiError.status), and
// warnings collected while serving go out as `Warning: 299 - "..."` headers, as kube-apiserver does.
import { ApiError, internal } from '../../../shared/errors.ts'
import { logger } from '../../../shared/log.ts'

const log = logger('api')

export const JSON_TYPE = 'application/json'

export function jsonResponse(
  body: unknown,
  status = 200,
  headers?: Record<string, string>,
  warnings?: string[],
): Response {
  const h = new Headers(headers)
  if (!h.has('content-type')) h.set('content-type', JSON_TYPE)
  addWarnings(h, warnings)
  return new Response(JSON.stringify(body), { status, headers: h })
}

export function addWarnings(h: Headers, warnings?: string[]): void {
  if (!warnings?.length) return
  for (const w of new Set(warnings)) h.append('warning', `299 - ${JSON.stringify(w.replace(/[\r\n]+/g, ' '))}`)
}

export function errorResponse(e: unknown, warnings?: string[]): Response {
  const err = toApiError(e)
  const headers: Record<string, string> = {}
  const retry = err.details?.retryAfterSeconds
  if (retry) headers['retry-after'] = String(retry)
  return jsonResponse(err.status, err.code, headers, warnings)
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e
  // Duck-typed ApiError from another module instance (or a thrown Status).
  const x = e as { code?: unknown; reason?: unknown; message?: unknown; details?: unknown }
  if (x && typeof x.code === 'number' && typeof x.reason === 'string') {
    return new ApiError(x.code, x.reason, String(x.message ?? ''), x.details as ApiError['details'])
  }
  log.error('internal error serving request', { err: e instanceof Error ? (e.stack ?? e.message) : String(e) })
  return internal(e instanceof Error ? e.message : String(e))
}

/** `Status` with status Success, as upstream answers some deletes and reviews. */
export function successStatus(details?: Record<string, unknown>, code = 200) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', ...(details ? { details } : {}), code }
}
