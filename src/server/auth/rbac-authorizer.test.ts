import { describe, expect, test } from 'bun:test'
import type { KubeObject } from '../registry/types.ts'
import { bootstrapRbac } from './bootstrap-rbac.ts'
import { createRbacAuthorizer, rulesFor } from './rbac-authorizer.ts'
import { staticRbacSource } from './static-rbac-source.ts'
import type { RequestAttributes, UserInfo } from './types.ts'
import { anonymousUser, serviceAccountUser } from './users.ts'

const rbac = (kind: string, name: string, extra: Record<string, unknown>, namespace?: string): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  ...extra,
})
const ref = (kind: string, name: string) => ({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name } })

const objects: KubeObject[] = [
  ...bootstrapRbac(),
  rbac(
    'Role',
    'pod-reader',
    { rules: [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] }] },
    'team',
  ),
  rbac('RoleBinding', 'bob-reads', { ...ref('Role', 'pod-reader'), subjects: [{ kind: 'User', name: 'bob' }] }, 'team'),
  rbac(
    'RoleBinding',
    'devs-edit',
    { ...ref('ClusterRole', 'edit'), subjects: [{ kind: 'Group', name: 'dev' }] },
    'team',
  ),
  rbac(
    'RoleBinding',
    'ci-admin',
    { ...ref('ClusterRole', 'admin'), subjects: [{ kind: 'ServiceAccount', name: 'ci' }] },
    'team',
  ),
  rbac('ClusterRoleBinding', 'carol-view', {
    ...ref('ClusterRole', 'view'),
    subjects: [{ kind: 'User', name: 'carol' }],
  }),
  rbac('ClusterRoleBinding', 'dangling', { ...ref('ClusterRole', 'gone'), subjects: [{ kind: 'User', name: 'dave' }] }),
  rbac('ClusterRole', 'scaler', { rules: [{ apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] }] }),
  rbac('ClusterRoleBinding', 'erin-scales', {
    ...ref('ClusterRole', 'scaler'),
    subjects: [{ kind: 'User', name: 'erin' }],
  }),
]
const authorize = createRbacAuthorizer(staticRbacSource(objects))

const user = (name: string, ...groups: string[]): UserInfo => ({ name, groups: [...groups, 'system:authenticated'] })
const bob = user('bob')
const dev = user('dan', 'dev')
const carol = user('carol')
const admin = { name: 'system:admin', groups: ['system:masters', 'system:authenticated'] }
const ci = {
  ...serviceAccountUser('team', 'ci'),
  groups: [...serviceAccountUser('team', 'ci').groups, 'system:authenticated'],
}
const anon = anonymousUser()
const node = user('system:node:pi', 'system:nodes')

const res = (u: UserInfo, verb: string, resource: string, o: Partial<RequestAttributes> = {}): RequestAttributes => ({
  user: u,
  verb,
  resourceRequest: true,
  path: '',
  apiGroup: '',
  resource,
  ...o,
})
const path = (u: UserInfo, p: string, verb = 'get'): RequestAttributes => ({
  user: u,
  verb,
  resourceRequest: false,
  path: p,
})

describe('createRbacAuthorizer', () => {
  const cases: [string, RequestAttributes, boolean][] = [
    ['system:masters may do anything', res(admin, 'delete', 'nodes', { name: 'n1' }), true],
    ['system:masters may reach any path', path(admin, '/debug/pprof', 'post'), true],
    ['Role via RoleBinding in its namespace', res(bob, 'list', 'pods', { namespace: 'team' }), true],
    ['Role subresource rule', res(bob, 'get', 'pods', { namespace: 'team', name: 'p', subresource: 'log' }), true],
    ['Role does not reach other verbs', res(bob, 'delete', 'pods', { namespace: 'team', name: 'p' }), false],
    ['Role does not reach other namespaces', res(bob, 'list', 'pods', { namespace: 'default' }), false],
    ['RoleBinding does not grant cluster scope', res(bob, 'list', 'pods'), false],
    [
      'ClusterRole edit via RoleBinding to a group',
      res(dev, 'create', 'deployments', { namespace: 'team', apiGroup: 'apps' }),
      true,
    ],
    ['edit may exec', res(dev, 'create', 'pods', { namespace: 'team', name: 'p', subresource: 'exec' }), true],
    [
      'edit may not touch roles',
      res(dev, 'create', 'roles', { namespace: 'team', apiGroup: 'rbac.authorization.k8s.io' }),
      false,
    ],
    ['edit only in its namespace', res(dev, 'create', 'deployments', { namespace: 'prod', apiGroup: 'apps' }), false],
    [
      'SA subject without namespace = binding namespace; admin manages roles',
      res(ci, 'create', 'rolebindings', { namespace: 'team', apiGroup: 'rbac.authorization.k8s.io' }),
      true,
    ],
    [
      'view everywhere through a ClusterRoleBinding',
      res(carol, 'list', 'deployments', { namespace: 'x', apiGroup: 'apps' }),
      true,
    ],
    ['view at cluster scope', res(carol, 'list', 'namespaces'), true],
    ['view may not read secrets', res(carol, 'get', 'secrets', { namespace: 'x', name: 's' }), false],
    ['view may not write', res(carol, 'update', 'configmaps', { namespace: 'x', name: 'c' }), false],
    [
      '*/scale rule matches a scale subresource',
      res(user('erin'), 'update', 'deployments', { apiGroup: 'apps', namespace: 'a', name: 'd', subresource: 'scale' }),
      true,
    ],
    [
      '*/scale rule does not match the resource',
      res(user('erin'), 'update', 'deployments', { apiGroup: 'apps', namespace: 'a', name: 'd' }),
      false,
    ],
    ['anonymous reaches /healthz', path(anon, '/healthz'), true],
    ['anonymous reaches /livez', path(anon, '/livez'), true],
    ['anonymous reaches /readyz', path(anon, '/readyz'), true],
    ['anonymous reaches /version', path(anon, '/version'), true],
    ['anonymous may not discover', path(anon, '/api'), false],
    ['anonymous may not list', res(anon, 'list', 'pods', { namespace: 'default' }), false],
    ['authenticated users discover', path(bob, '/apis/apps/v1'), true],
    ['authenticated users read openapi', path(bob, '/openapi/v3'), true],
    [
      'authenticated users may ask what they can do',
      res(bob, 'create', 'selfsubjectaccessreviews', { apiGroup: 'authorization.k8s.io' }),
      true,
    ],
    [
      'authenticated users may ask who they are',
      res(bob, 'create', 'selfsubjectreviews', { apiGroup: 'authentication.k8s.io' }),
      true,
    ],
    ['nodes update their status', res(node, 'patch', 'nodes', { name: 'pi', subresource: 'status' }), true],
    [
      'nodes renew leases',
      res(node, 'update', 'leases', { apiGroup: 'coordination.k8s.io', namespace: 'kube-node-lease', name: 'pi' }),
      true,
    ],
    [
      'nodes may not delete deployments',
      res(node, 'delete', 'deployments', { apiGroup: 'apps', namespace: 'x', name: 'd' }),
      false,
    ],
  ]
  test.each(cases)('%s', (_, attrs, want) => expect(authorize(attrs).allowed).toBe(want))

  test('an allow names the binding, role and subject as upstream', () => {
    expect(authorize(res(bob, 'list', 'pods', { namespace: 'team' })).reason).toBe(
      'RBAC: allowed by RoleBinding "bob-reads/team" of Role "pod-reader" to User "bob"',
    )
    expect(authorize(res(ci, 'list', 'pods', { namespace: 'team' })).reason).toBe(
      'RBAC: allowed by RoleBinding "ci-admin/team" of ClusterRole "admin" to ServiceAccount "ci/team"',
    )
  })

  test('a binding to a missing role denies, saying which role is missing', () => {
    const d = authorize(res(user('dave'), 'get', 'pods', { namespace: 'x' }))
    expect(d).toEqual({ allowed: false, reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found' })
  })

  test('a plain deny carries no reason', () => {
    expect(authorize(res(bob, 'delete', 'nodes', { name: 'n' }))).toEqual({ allowed: false })
  })

  test('deleting the cluster-admin binding still leaves system:masters allowed', () => {
    const without = objects.filter((o) => !(o.kind === 'ClusterRoleBinding' && o.metadata?.name === 'cluster-admin'))
    expect(
      createRbacAuthorizer(staticRbacSource(without))(res(admin, 'get', 'secrets', { namespace: 'a' })).allowed,
    ).toBe(true)
  })
})

describe('rulesFor', () => {
  test('lists the rules bound in the namespace and cluster-wide', () => {
    const r = rulesFor(staticRbacSource(objects), bob, 'team')
    expect(r.incomplete).toBe(false)
    expect(r.resourceRules).toContainEqual({ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/log'] })
    expect(r.resourceRules).toContainEqual({
      verbs: ['create'],
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    })
    expect(r.nonResourceRules.some((n) => n.nonResourceURLs?.includes('/api/*'))).toBe(true)
    expect(
      rulesFor(staticRbacSource(objects), bob, 'default').resourceRules.some((x) => x.resources?.includes('pods/log')),
    ).toBe(false)
  })

  test('system:masters sees cluster-admin through its binding', () => {
    const r = rulesFor(staticRbacSource(objects), admin, 'default')
    expect(r.resourceRules).toContainEqual({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] })
    expect(r.nonResourceRules).toContainEqual({ verbs: ['*'], nonResourceURLs: ['*'] })
  })

  test('a missing role makes the answer incomplete', () => {
    const r = rulesFor(staticRbacSource(objects), user('dave'), '')
    expect(r.incomplete).toBe(true)
    expect(r.evaluationError).toContain('"gone" not found')
  })
})

describe('bootstrapRbac', () => {
  test('has the roles users expect, each bound role present', () => {
    const all = bootstrapRbac()
    const roles = new Set(all.filter((o) => o.kind === 'ClusterRole').map((o) => o.metadata!.name))
    for (const n of [
      'cluster-admin',
      'admin',
      'edit',
      'view',
      'system:basic-user',
      'system:discovery',
      'system:public-info-viewer',
      'system:node',
      'system:monitoring',
      'system:service-account-issuer-discovery',
    ]) {
      expect(roles.has(n)).toBe(true)
    }
    for (const b of all.filter((o) => o.kind === 'ClusterRoleBinding')) expect(roles.has(b.roleRef.name)).toBe(true)
  })

  test.each([
    [{ name: 'prom', groups: ['system:monitoring', 'system:authenticated'] }, '/metrics', true],
    [{ name: 'bob', groups: ['system:authenticated'] }, '/metrics', false],
    [serviceAccountUser('default', 'app'), '/openid/v1/jwks', true],
    [serviceAccountUser('default', 'app'), '/.well-known/openid-configuration', true],
    [{ name: 'bob', groups: ['system:authenticated'] }, '/openid/v1/jwks', false],
  ])(
    '%p GET %s allowed: %p (upstream system:monitoring, issuer discovery for ServiceAccounts)',
    (user, path, allowed) => {
      const authorize = createRbacAuthorizer(staticRbacSource(bootstrapRbac()))
      expect(authorize({ user, verb: 'get', resourceRequest: false, path }).allowed).toBe(allowed)
    },
  )
})
