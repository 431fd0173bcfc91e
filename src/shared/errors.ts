// Typed API errors, turned into upstream-shaped `Status` objects in one place (ApiError.status).
// Messages follow kube-apiserver's wording so kubectl prints what users already know.
import type { FieldError } from '../server/registry/types.ts'

export interface Status {
  kind: 'Status'
  apiVersion: 'v1'
  metadata: Record<string, unknown>
  status: 'Failure' | 'Success'
  message?: string
  reason?: string
  details?: {
    name?: string
    group?: string
    kind?: string
    uid?: string
    causes?: { reason?: string; message?: string; field?: string }[]
    retryAfterSeconds?: number
  }
  code: number
}

export class ApiError extends Error {
  override name = 'ApiError'
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Status['details'],
  ) {
    super(message)
  }

  get status(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    }
  }

  static fromStatus(s: Status): ApiError {
    return new ApiError(s.code, s.reason ?? 'Unknown', s.message ?? '', s.details)
  }
}

/** `deployments.apps`, or `pods` for the core group, as upstream qualifies resource names in messages. */
export const qualified = (resource: string, group: string) => (group ? `${resource}.${group}` : resource)

export const notFound = (resource: string, group: string, name: string) =>
  new ApiError(404, 'NotFound', `${qualified(resource, group)} "${name}" not found`, { name, group, kind: resource })

export const alreadyExists = (resource: string, group: string, name: string) =>
  new ApiError(409, 'AlreadyExists', `${qualified(resource, group)} "${name}" already exists`, {
    name,
    group,
    kind: resource,
  })

export const conflict = (resource: string, group: string, name: string, why?: string) =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(resource, group)} "${name}": ${why ?? 'the object has been modified; please apply your changes to the latest version and try again'}`,
    { name, group, kind: resource },
  )

/** 422: `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0` */
export function invalid(kind: string, group: string, name: string, errors: FieldError[]): ApiError {
  const qual = group ? `${kind}.${group}` : kind
  const text = errors.map((e) => `${e.field}: ${e.message}`).join(', ')
  return new ApiError(422, 'Invalid', `${qual} "${name}" is invalid: ${errors.length > 1 ? `[${text}]` : text}`, {
    name,
    group,
    kind,
    causes: errors.map((e) => ({ reason: e.type, message: e.message, field: e.field })),
  })
}

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message)
export const unauthorized = () => new ApiError(401, 'Unauthorized', 'Unauthorized')
export const forbidden = (message: string) => new ApiError(403, 'Forbidden', message)
export const methodNotAllowed = (message = 'the server does not allow this method on the requested resource') =>
  new ApiError(405, 'MethodNotAllowed', message)
/** 410: the requested resourceVersion is older than the compacted history */
export const expired = (message = 'too old resource version') => new ApiError(410, 'Expired', message)
export const unsupportedMediaType = (type: string) =>
  new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got ${type})`,
  )
export const tooLarge = () => new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728')
export const internal = (message: string) => new ApiError(500, 'InternalError', `Internal error occurred: ${message}`)
export const serviceUnavailable = (message: string) => new ApiError(503, 'ServiceUnavailable', message)
