// RBAC rule and subject matching, as k8s.io/kubernetes/pkg/apis/rbac/v1/evaluation_helpers.go and
// plugin/pkg/auth/authorizer/rbac (appliesToUser). Pure functions over plain objects.
import type { RequestAttributes, UserInfo } from './types.ts'
import { parseServiceAccountUser } from './users.ts'

export interface PolicyRule {
  verbs: string[]
  apiGroups?: string[]
  resources?: string[]
  resourceNames?: string[]
  nonResourceURLs?: string[]
}

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount' | string
  name: string
  namespace?: string
  apiGroup?: string
}

const has = (list: string[] | undefined, v: string) => !!list && (list.includes('*') || list.includes(v))

export const verbMatches = (r: PolicyRule, verb: string) => has(r.verbs, verb)

export const apiGroupMatches = (r: PolicyRule, group: string) => has(r.apiGroups, group)

/** `*`, the exact `resource` or `resource/subresource`, or `*\/subresource` for any resource's subresource. */
export function resourceMatches(r: PolicyRule, resource: string, subresource?: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource
  for (const rr of r.resources ?? []) {
    if (rr === '*' || rr === combined) return true
    if (subresource && rr === `*/${subresource}`) return true
  }
  return false
}

/** An empty resourceNames list means every name; a request without a name (list, create) only matches it then. */
export function resourceNameMatches(r: PolicyRule, name?: string): boolean {
  if (!r.resourceNames?.length) return true
  return !!name && r.resourceNames.includes(name)
}

/** `*`, the exact path, or a prefix ending in `*` (`/apis/*` matches `/apis/apps/v1`). */
export function nonResourceURLMatches(r: PolicyRule, path: string): boolean {
  for (const u of r.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true
    if (u.endsWith('*') && path.startsWith(u.slice(0, -1))) return true
  }
  return false
}

export function ruleAllows(a: RequestAttributes, r: PolicyRule): boolean {
  if (a.resourceRequest) {
    return (
      verbMatches(r, a.verb) &&
      apiGroupMatches(r, a.apiGroup ?? '') &&
      resourceMatches(r, a.resource ?? '', a.subresource) &&
      resourceNameMatches(r, a.name)
    )
  }
  return verbMatches(r, a.verb) && nonResourceURLMatches(r, a.path)
}

/** Does a binding subject name this user? A ServiceAccount subject without a namespace means one in
 * the binding's own namespace (so RoleBindings need not repeat it). */
export function subjectApplies(user: UserInfo, s: Subject, bindingNamespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return user.name === s.name
    case 'Group':
      return user.groups.includes(s.name)
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace
      if (!ns) return false
      const sa = parseServiceAccountUser(user.name)
      return !!sa && sa.namespace === ns && sa.name === s.name
    }
    default:
      return false
  }
}

/** How upstream names a subject in "allowed by" reasons: `Group "x"`, `ServiceAccount "name/ns"`. */
export function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} "${s.name}/${s.namespace || bindingNamespace}"`
  return `${s.kind} "${s.name}"`
}
