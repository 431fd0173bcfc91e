import { describe, expect, test } from 'bun:test'
import type { KubeObject } from '../registry/types.ts'
import { compactRule, escalationError } from './rbac-escalation.ts'
import type { RbacSource } from './types.ts'

const clusterRoles: KubeObject[] = [
  {
    metadata: { name: 'cluster-admin' },
    rules: [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ],
  },
  {
    metadata: { name: 'pod-admin' },
    rules: [
      { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'create', 'delete'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ['create', 'update'] },
    ],
  },
  { metadata: { name: 'pod-reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] },
  {
    metadata: { name: 'binder' },
    rules: [
      {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['clusterroles'],
        verbs: ['bind'],
        resourceNames: ['cluster-admin'],
      },
    ],
  },
]
const binding = (name: string, role: string, user: string, ns?: string): KubeObject => ({
  metadata: { name, ...(ns ? { namespace: ns } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'User', name: user, apiGroup: 'rbac.authorization.k8s.io' }],
})
const source: RbacSource = {
  roles: () => [],
  roleBindings: (ns) =>
    ns === 'team'
      ? [
          binding('a', 'pod-admin', 'alice', 'team'),
          binding('b', 'binder', 'bob', 'team'),
          binding('c', 'pod-admin', 'bob', 'team'),
        ]
      : [],
  clusterRoles: () => clusterRoles,
  clusterRoleBindings: () => [],
}
const alice = { name: 'alice', groups: ['system:authenticated'] }
const bob = { name: 'bob', groups: ['system:authenticated'] }

describe('RBAC escalation prevention', () => {
  test('a role granting only held permissions is allowed; more is refused with the missing rules', () => {
    const ok = {
      metadata: { name: 'r', namespace: 'team' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    }
    expect(escalationError(source, alice, 'roles', ok)).toBeUndefined()
    const more = {
      metadata: { name: 'esc', namespace: 'team' },
      rules: [{ apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'watch'] }],
    }
    expect(escalationError(source, alice, 'roles', more)).toBe(
      'roles.rbac.authorization.k8s.io "esc" is forbidden: user "alice" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["nodes"], Verbs:["get" "watch"]}\n{APIGroups:[""], Resources:["pods"], Verbs:["watch"]}',
    )
  })

  test('binding cluster-admin needs its rules or `bind` on it', () => {
    const b = binding('esc', 'cluster-admin', 'alice', 'team')
    expect(escalationError(source, alice, 'rolebindings', b)).toContain(
      'not currently held:\n{APIGroups:["*"], Resources:["*"], Verbs:["*"]}\n{NonResourceURLs:["*"], Verbs:["*"]}',
    )
    expect(escalationError(source, bob, 'rolebindings', b)).toBeUndefined()
    expect(escalationError(source, alice, 'rolebindings', binding('ok', 'pod-reader', 'x', 'team'))).toBeUndefined()
  })

  test('system:masters is exempt', () => {
    const admin = { name: 'root', groups: ['system:masters'] }
    expect(escalationError(source, admin, 'clusterrolebindings', binding('x', 'cluster-admin', 'y'))).toBeUndefined()
  })

  test('compact rules print as upstream CompactString', () => {
    expect(compactRule({ apiGroups: [''], resources: ['pods'], resourceNames: ['a'], verbs: ['get', 'list'] })).toBe(
      '{APIGroups:[""], Resources:["pods"], ResourceNames:["a"], Verbs:["get" "list"]}',
    )
  })
})
