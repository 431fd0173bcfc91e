// The RBAC authorizer over the watch cache, as plugin/pkg/auth/authorizer/rbac: ClusterRoleBindings
// grant everywhere, RoleBindings only inside their namespace (referring to a Role there or to a
// ClusterRole). system:masters is allowed everything before RBAC is consulted, as kube-apiserver's
// privileged-group authorizer does. No opinion means denied; there are no deny rules.
import type { KubeObject } from '../registry/types.ts'
import { describeSubject, type PolicyRule, ruleAllows, type Subject, subjectApplies } from './rbac-rules.ts'
import type { Authorizer, Decision, RbacSource, RequestAttributes, UserInfo } from './types.ts'
import { SYSTEM_MASTERS } from './users.ts'

interface Grant {
  /** e.g. `ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"` */
  describe: () => string
  rules: PolicyRule[]
}

/** Role lists read at most once per decision: each source call copies a cache snapshot, and every
 * binding that applies to the user would otherwise list all ClusterRoles again. */
interface RoleLists {
  clusterRoles(): KubeObject[]
  roles(namespace: string): KubeObject[]
}

function roleLists(source: RbacSource): RoleLists {
  let cluster: KubeObject[] | undefined
  const local = new Map<string, KubeObject[]>()
  return {
    clusterRoles: () => (cluster ??= source.clusterRoles()),
    roles(namespace) {
      let l = local.get(namespace)
      if (!l) local.set(namespace, (l = source.roles(namespace)))
      return l
    },
  }
}

/** The rules a binding's roleRef points at, or an error text like upstream's when the role is missing. */
function roleRules(lists: RoleLists, binding: KubeObject, namespace: string): PolicyRule[] | string {
  const ref = binding.roleRef ?? {}
  if (ref.kind === 'ClusterRole') {
    const role = lists.clusterRoles().find((r) => r.metadata?.name === ref.name)
    return role ? (role.rules ?? []) : `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found`
  }
  if (ref.kind === 'Role' && namespace) {
    const role = lists.roles(namespace).find((r) => r.metadata?.name === ref.name)
    return role ? (role.rules ?? []) : `role.rbac.authorization.k8s.io "${ref.name}" not found`
  }
  return `unsupported roleRef kind "${ref.kind}"`
}

/** Visits every grant that applies to `user` in `namespace` ('' = cluster scope only); stops when
 * `visit` returns true. Missing roles are collected into `errors`. */
function visitGrants(
  source: RbacSource,
  user: UserInfo,
  namespace: string,
  errors: string[],
  visit: (g: Grant) => boolean,
): void {
  const lists = roleLists(source)
  const scopes: [KubeObject[], string, string][] = [[source.clusterRoleBindings(), '', 'ClusterRoleBinding']]
  if (namespace) scopes.push([source.roleBindings(namespace), namespace, 'RoleBinding'])
  for (const [bindings, ns, kind] of scopes) {
    for (const b of bindings) {
      const subject = (b.subjects as Subject[] | undefined)?.find((s) => subjectApplies(user, s, ns))
      if (!subject) continue
      const rules = roleRules(lists, b, ns)
      if (typeof rules === 'string') {
        errors.push(rules)
        continue
      }
      const name = ns ? `${b.metadata?.name}/${ns}` : b.metadata?.name
      const describe = () =>
        `${kind} "${name}" of ${b.roleRef.kind} "${b.roleRef.name}" to ${describeSubject(subject, ns)}`
      if (visit({ describe, rules })) return
    }
  }
}

/** As Go's utilerrors.NewAggregate prints: one error alone, several in brackets. */
const aggregate = (errors: string[]) => (errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`)

export function createRbacAuthorizer(source: RbacSource): Authorizer {
  return (attrs: RequestAttributes): Decision => {
    if (attrs.user.groups.includes(SYSTEM_MASTERS)) return { allowed: true }
    const errors: string[] = []
    let reason: string | undefined
    visitGrants(source, attrs.user, attrs.namespace ?? '', errors, (g) => {
      if (!g.rules.some((r) => ruleAllows(attrs, r))) return false
      reason = `RBAC: allowed by ${g.describe()}`
      return true
    })
    if (reason) return { allowed: true, reason }
    return errors.length ? { allowed: false, reason: `RBAC: ${aggregate(errors)}` } : { allowed: false }
  }
}

export interface ResourceRule {
  verbs: string[]
  apiGroups?: string[]
  resources?: string[]
  resourceNames?: string[]
}
export interface NonResourceRule {
  verbs: string[]
  nonResourceURLs?: string[]
}
/** SubjectRulesReviewStatus (authorization.k8s.io/v1) */
export interface RulesReviewStatus {
  resourceRules: ResourceRule[]
  nonResourceRules: NonResourceRule[]
  incomplete: boolean
  evaluationError?: string
}

/** What `user` may do in `namespace`, for SelfSubjectRulesReview (`kubectl auth can-i --list`). As upstream,
 * rules come from bindings only (system:masters sees them through the cluster-admin binding). */
export function rulesFor(source: RbacSource, user: UserInfo, namespace: string): RulesReviewStatus {
  const errors: string[] = []
  const resourceRules: ResourceRule[] = []
  const nonResourceRules: NonResourceRule[] = []
  visitGrants(source, user, namespace, errors, (g) => {
    for (const r of g.rules) {
      if (r.nonResourceURLs?.length) nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })
      if (r.resources?.length) {
        resourceRules.push({
          verbs: r.verbs,
          apiGroups: r.apiGroups ?? [],
          resources: r.resources,
          ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}),
        })
      }
    }
    return false
  })
  return {
    resourceRules,
    nonResourceRules,
    incomplete: errors.length > 0,
    ...(errors.length ? { evaluationError: errors.join(', ') } : {}),
  }
}
