// Well-known users and groups (k8s.io/apiserver/pkg/authentication/user and serviceaccount).
import type { UserInfo } from './types.ts'

export const SYSTEM_MASTERS = 'system:masters'
export const ALL_AUTHENTICATED = 'system:authenticated'
export const ALL_UNAUTHENTICATED = 'system:unauthenticated'
export const ANONYMOUS = 'system:anonymous'
export const NODES_GROUP = 'system:nodes'
export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts'
const SA_PREFIX = 'system:serviceaccount:'

export const anonymousUser = (): UserInfo => ({ name: ANONYMOUS, groups: [ALL_UNAUTHENTICATED] })

/** The user a ServiceAccount acts as: `system:serviceaccount:NS:NAME` in system:serviceaccounts(:NS). */
export function serviceAccountUser(namespace: string, name: string, uid?: string): UserInfo {
  return {
    name: `${SA_PREFIX}${namespace}:${name}`,
    ...(uid ? { uid } : {}),
    groups: [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${namespace}`],
  }
}

/** `system:serviceaccount:NS:NAME` → { namespace, name }; anything else → undefined. */
export function parseServiceAccountUser(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SA_PREFIX)) return undefined
  const parts = username.slice(SA_PREFIX.length).split(':')
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined
  return { namespace: parts[0], name: parts[1] }
}

/** As upstream's AuthenticatedGroupAdder: every authenticated user is also in system:authenticated. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.name === ANONYMOUS) return user
  if (user.groups.includes(ALL_AUTHENTICATED) || user.groups.includes(ALL_UNAUTHENTICATED)) return user
  return { ...user, groups: [...user.groups, ALL_AUTHENTICATED] }
}
