// Per-request authorization, with kube-apiserver's Forbidden wording that kubectl prints verbatim:
// `pods "web" is forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "default"`.
import { ApiError, forbidden } from '../../../shared/errors.ts'
import type { Authorizer, RequestAttributes, UserInfo } from '../../auth/types.ts'
import type { RequestInfo } from './request-info.ts'

export function attributesFor(user: UserInfo, info: RequestInfo): RequestAttributes {
  if (!info.resourceRequest) return { user, verb: info.verb, resourceRequest: false, path: info.path }
  return {
    user,
    verb: info.verb,
    resourceRequest: true,
    path: info.path,
    apiGroup: info.apiGroup ?? '',
    apiVersion: info.apiVersion,
    resource: info.resource,
    ...(info.subresource ? { subresource: info.subresource } : {}),
    ...(info.namespace ? { namespace: info.namespace } : {}),
    ...(info.name ? { name: info.name } : {}),
  }
}

export function forbiddenMessage(a: RequestAttributes, reason?: string): string {
  const who = `User "${a.user.name}"`
  let msg: string
  if (!a.resourceRequest) msg = `forbidden: ${who} cannot ${a.verb} path "${a.path}"`
  else {
    const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource
    const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource
    const subject = a.name ? `${qualified} "${a.name}"` : qualified
    const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope'
    msg = `${subject} is forbidden: ${who} cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup ?? ''}" ${scope}`
  }
  return reason ? `${msg}: ${reason}` : msg
}

export function authorizeOrThrow(authorize: Authorizer, attrs: RequestAttributes): void {
  const d = authorize(attrs)
  if (!d.allowed) {
    const err = forbidden(forbiddenMessage(attrs, d.reason))
    throw new ApiError(err.code, err.reason, err.message, {
      ...(attrs.name ? { name: attrs.name } : {}),
      ...(attrs.apiGroup ? { group: attrs.apiGroup } : {}),
      ...(attrs.resource ? { kind: attrs.resource } : {}),
    })
  }
}

export const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] }
