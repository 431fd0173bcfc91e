// 403 answers worded as kube-apiserver's (endpoints/handlers/responsewriters.forbiddenMessage), e.g.
// `pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"`.
import { ApiError, qualified } from '../../shared/errors.ts'
import type { RequestAttributes } from './types.ts'

export function forbiddenMessage(a: RequestAttributes): string {
  const user = a.user.name
  if (!a.resourceRequest) return `User "${user}" cannot ${a.verb} path "${a.path}"`
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : (a.resource ?? '')
  const group = a.apiGroup ?? ''
  if (a.namespace) {
    return `User "${user}" cannot ${a.verb} resource "${resource}" in API group "${group}" in the namespace "${a.namespace}"`
  }
  return `User "${user}" cannot ${a.verb} resource "${resource}" in API group "${group}" at the cluster scope`
}

/** The 403 Status for a denied request; `reason` is the authorizer's, appended as upstream does. */
export function forbiddenError(a: RequestAttributes, reason?: string): ApiError {
  const why = reason ? `${forbiddenMessage(a)}: ${reason}` : forbiddenMessage(a)
  const group = a.apiGroup ?? ''
  const resource = a.resourceRequest ? (a.resource ?? '') : ''
  // apierrors.NewForbidden: `<resource> "<name>" is forbidden: ...`, or `forbidden: ...` without a resource.
  let message = `forbidden: ${why}`
  if (resource)
    message = a.name
      ? `${qualified(resource, group)} "${a.name}" is forbidden: ${why}`
      : `${qualified(resource, group)} is forbidden: ${why}`
  return new ApiError(403, 'Forbidden', message, { ...(a.name ? { name: a.name } : {}), group, kind: resource })
}
