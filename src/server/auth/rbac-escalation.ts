// RBAC privilege-escalation prevention, as pkg/registry/rbac/validation (ConfirmNoEscalation) and the
// role/binding REST wrappers: a user may only write a Role or ClusterRole whose rules they already hold
// (or with `escalate` on it), and only bind a role whose rules they hold (or with `bind` on it).
// system:masters is exempt (upstream EscalationAllowed). Pure over an RbacSource.
import type { KubeObject } from '../registry/types.ts'
import { createRbacAuthorizer, rulesFor } from './rbac-authorizer.ts'
import type { PolicyRule } from './rbac-rules.ts'
import type { RbacSource, UserInfo } from './types.ts'
import { SYSTEM_MASTERS } from './users.ts'

const RBAC_GROUP = 'rbac.authorization.k8s.io'

const has = (list: string[] | undefined, v: string) => !!list && (list.includes('*') || list.includes(v))

/** One verb on one group/resource/name, or one verb on one URL (upstream BreakdownRule). */
interface Atom {
  verb: string
  group?: string
  resource?: string
  name?: string
  url?: string
}

function breakdown(r: PolicyRule): Atom[] {
  const out: Atom[] = []
  for (const group of r.apiGroups ?? [])
    for (const resource of r.resources ?? [])
      for (const verb of r.verbs ?? []) {
        if (r.resourceNames?.length) for (const name of r.resourceNames) out.push({ verb, group, resource, name })
        else out.push({ verb, group, resource })
      }
  for (const url of r.nonResourceURLs ?? []) for (const verb of r.verbs ?? []) out.push({ verb, url })
  return out
}

function covers(owner: PolicyRule, a: Atom): boolean {
  if (!has(owner.verbs, a.verb)) return false
  if (a.url !== undefined)
    return (owner.nonResourceURLs ?? []).some(
      (u) => u === '*' || u === a.url || (u.endsWith('*') && a.url!.startsWith(u.slice(0, -1))),
    )
  if (!has(owner.apiGroups, a.group!)) return false
  const sub = a.resource!.includes('/') ? a.resource!.slice(a.resource!.indexOf('/')) : undefined
  const resourceOk = (owner.resources ?? []).some((r) => r === '*' || r === a.resource || (sub && r === `*${sub}`))
  if (!resourceOk) return false
  return !owner.resourceNames?.length || (!!a.name && owner.resourceNames.includes(a.name))
}

/** Go's %q of a []string: `["a" "b"]`. */
const q = (list: string[]) => `[${list.map((s) => JSON.stringify(s)).join(' ')}]`

/** rbacv1helpers' CompactString. */
export function compactRule(r: PolicyRule): string {
  const parts: string[] = []
  if (r.apiGroups?.length) parts.push(`APIGroups:${q(r.apiGroups)}`)
  if (r.resources?.length) parts.push(`Resources:${q(r.resources)}`)
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${q(r.nonResourceURLs)}`)
  if (r.resourceNames?.length) parts.push(`ResourceNames:${q(r.resourceNames)}`)
  if (r.verbs?.length) parts.push(`Verbs:${q(r.verbs)}`)
  return `{${parts.join(', ')}}`
}

/** Missing atoms, merged back into rules that differ only in their verbs (upstream compactRules). */
function compact(atoms: Atom[]): PolicyRule[] {
  const byKey = new Map<string, PolicyRule>()
  for (const a of atoms) {
    const key = JSON.stringify([a.group, a.resource, a.name, a.url])
    let r = byKey.get(key)
    if (!r) {
      r =
        a.url !== undefined
          ? { verbs: [], nonResourceURLs: [a.url] }
          : {
              verbs: [],
              apiGroups: [a.group!],
              resources: [a.resource!],
              ...(a.name ? { resourceNames: [a.name] } : {}),
            }
      byKey.set(key, r)
    }
    if (!r.verbs.includes(a.verb)) r.verbs.push(a.verb)
  }
  return [...byKey.values()]
}

/** The rules of `requested` that `user` does not hold in `namespace` ('' = cluster-wide grants only). */
export function missingRules(source: RbacSource, user: UserInfo, namespace: string, requested: PolicyRule[]) {
  const review = rulesFor(source, user, namespace)
  const owner: PolicyRule[] = [
    ...review.resourceRules.map((r) => r as PolicyRule),
    ...review.nonResourceRules.map((r) => r as PolicyRule),
  ]
  return compact(requested.flatMap(breakdown).filter((a) => !owner.some((o) => covers(o, a))))
}

function escalationMessage(resource: string, name: string, user: UserInfo, missing: PolicyRule[]): string {
  return `${resource}.${RBAC_GROUP} ${JSON.stringify(name)} is forbidden: user ${JSON.stringify(user.name)} (groups=${q(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${missing.map(compactRule).sort().join('\n')}`
}

/** The rules a roleRef names, or [] when the role does not exist (upstream then reports it as missing). */
function referencedRules(source: RbacSource, ref: KubeObject['roleRef'], namespace: string): PolicyRule[] {
  if (ref?.kind === 'ClusterRole') return source.clusterRoles().find((r) => r.metadata?.name === ref.name)?.rules ?? []
  if (ref?.kind === 'Role') return source.roles(namespace).find((r) => r.metadata?.name === ref.name)?.rules ?? []
  return []
}

/**
 * Why writing `obj` (a Role, ClusterRole, RoleBinding or ClusterRoleBinding, by `resource` plural) would
 * escalate `user`'s privileges, as upstream's Forbidden message; undefined when it is allowed.
 */
export function escalationError(
  source: RbacSource,
  user: UserInfo,
  resource: string,
  obj: KubeObject,
): string | undefined {
  if (user.groups.includes(SYSTEM_MASTERS)) return undefined
  const name = obj.metadata?.name ?? ''
  const namespace = resource === 'roles' || resource === 'rolebindings' ? (obj.metadata?.namespace ?? '') : ''
  const authorize = createRbacAuthorizer(source)
  const may = (verb: string, res: string, resName: string) =>
    authorize({
      user,
      verb,
      resourceRequest: true,
      path: '',
      apiGroup: RBAC_GROUP,
      resource: res,
      namespace: namespace || undefined,
      name: resName,
    }).allowed
  let rules: PolicyRule[]
  if (resource === 'roles' || resource === 'clusterroles') {
    if (may('escalate', resource, name)) return undefined
    rules = obj.rules ?? []
  } else {
    const ref = obj.roleRef
    const refResource = ref?.kind === 'Role' ? 'roles' : 'clusterroles'
    if (ref?.name && may('bind', refResource, ref.name)) return undefined
    rules = referencedRules(source, ref, namespace)
  }
  const missing = missingRules(source, user, namespace, rules)
  return missing.length ? escalationMessage(resource, name, user, missing) : undefined
}
