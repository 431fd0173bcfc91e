// `kubectl --as` / `--as-group` / `--as-uid`: Impersonate-* headers, as k8s.io/apiserver's
// filters/impersonation.go. Each impersonated attribute needs the `impersonate` verb on it (users,
// groups, serviceaccounts, authentication.k8s.io uids and userextras/<key>); the request then runs
// as the impersonated user.
import { badRequest } from '../../shared/errors.ts'
import { forbiddenError } from './forbidden.ts'
import type { Authorizer, RequestAttributes, UserInfo } from './types.ts'
import {
  ALL_AUTHENTICATED,
  ALL_UNAUTHENTICATED,
  ANONYMOUS,
  parseServiceAccountUser,
  serviceAccountUser,
} from './users.ts'

const EXTRA_PREFIX = 'impersonate-extra-'

interface Wanted {
  user?: string
  uid?: string
  groups: string[]
  extra: Record<string, string[]>
}

function impersonationHeaders(headers: Headers): Wanted {
  const w: Wanted = { groups: [], extra: {} }
  // The Fetch API joins repeated headers (`--as-group a --as-group b`) with ", ", so lists are split
  // back on commas: a group or extra value containing a comma cannot be impersonated.
  const list = (v: string) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  for (const [k, v] of headers as unknown as Iterable<[string, string]>) {
    const key = k.toLowerCase()
    if (key === 'impersonate-user') w.user = v
    else if (key === 'impersonate-uid') w.uid = v
    else if (key === 'impersonate-group') w.groups.push(...list(v))
    else if (key.startsWith(EXTRA_PREFIX)) {
      // Extra keys are percent-encoded in the header name (upstream unescapes them).
      const extraKey = decodeURIComponent(key.slice(EXTRA_PREFIX.length))
      ;(w.extra[extraKey] ??= []).push(...list(v))
    }
  }
  return w
}

/** True when the request carries any Impersonate-* header. */
export function wantsImpersonation(req: Request): boolean {
  for (const [k] of req.headers as unknown as Iterable<[string, string]>) {
    if (k.toLowerCase().startsWith('impersonate-')) return true
  }
  return false
}

/** The user the request acts as: `user` itself without Impersonate-* headers, otherwise the impersonated
 * user once `authorize` allowed each part. Throws 400 for groups/extra/uid without a user, 403 when denied. */
export function impersonate(req: Request, user: UserInfo, authorize: Authorizer): UserInfo {
  if (!wantsImpersonation(req)) return user
  const w = impersonationHeaders(req.headers)
  if (w.user === undefined) {
    throw badRequest('impersonating groups, a uid or extra fields requires impersonating a user (Impersonate-User)')
  }
  const check = (a: Omit<RequestAttributes, 'user' | 'verb' | 'resourceRequest' | 'path'>) => {
    const attrs: RequestAttributes = {
      user,
      verb: 'impersonate',
      resourceRequest: true,
      path: '',
      apiVersion: 'v1',
      ...a,
    }
    const d = authorize(attrs)
    if (!d.allowed) throw forbiddenError(attrs, d.reason)
  }

  const sa = parseServiceAccountUser(w.user)
  let groups: string[]
  if (sa) {
    check({ apiGroup: '', resource: 'serviceaccounts', namespace: sa.namespace, name: sa.name })
    groups = [...serviceAccountUser(sa.namespace, sa.name).groups]
  } else {
    check({ apiGroup: '', resource: 'users', name: w.user })
    groups = []
  }
  for (const g of w.groups) {
    check({ apiGroup: '', resource: 'groups', name: g })
    groups.push(g)
  }
  for (const [key, values] of Object.entries(w.extra)) {
    for (const v of values)
      check({ apiGroup: 'authentication.k8s.io', resource: 'userextras', subresource: key, name: v })
  }
  if (w.uid !== undefined) check({ apiGroup: 'authentication.k8s.io', resource: 'uids', name: w.uid })

  // The impersonated user is authenticated unless it is anonymous, or a group says otherwise.
  if (w.user !== ANONYMOUS) {
    if (!groups.includes(ALL_AUTHENTICATED) && !groups.includes(ALL_UNAUTHENTICATED)) groups.push(ALL_AUTHENTICATED)
  } else if (!groups.includes(ALL_UNAUTHENTICATED)) {
    groups.push(ALL_UNAUTHENTICATED)
  }
  return {
    name: w.user,
    ...(w.uid !== undefined ? { uid: w.uid } : {}),
    groups,
    ...(Object.keys(w.extra).length ? { extra: w.extra } : {}),
  }
}
