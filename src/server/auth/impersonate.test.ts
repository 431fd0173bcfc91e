import { describe, expect, test } from 'bun:test'
import { ApiError } from '../../shared/errors.ts'
import type { KubeObject } from '../registry/types.ts'
import { bootstrapRbac } from './bootstrap-rbac.ts'
import { impersonate } from './impersonate.ts'
import { createRbacAuthorizer } from './rbac-authorizer.ts'
import { staticRbacSource } from './static-rbac-source.ts'
import type { UserInfo } from './types.ts'

const objects: KubeObject[] = [
  ...bootstrapRbac(),
  {
    kind: 'ClusterRole',
    metadata: { name: 'impersonate-alice' },
    rules: [{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'], resourceNames: ['alice'] }],
  },
  {
    kind: 'ClusterRoleBinding',
    metadata: { name: 'bob-as-alice' },
    roleRef: { kind: 'ClusterRole', name: 'impersonate-alice' },
    subjects: [{ kind: 'User', name: 'bob' }],
  },
  {
    kind: 'RoleBinding',
    metadata: { name: 'devs-edit', namespace: 'team' },
    roleRef: { kind: 'ClusterRole', name: 'edit' },
    subjects: [{ kind: 'User', name: 'bob' }],
  },
]
const authorize = createRbacAuthorizer(staticRbacSource(objects))
const admin: UserInfo = { name: 'system:admin', groups: ['system:masters', 'system:authenticated'] }
const bob: UserInfo = { name: 'bob', groups: ['system:authenticated'] }
const req = (headers: [string, string][]) => new Request('https://x/api/v1/pods', { headers })

function error(f: () => unknown): ApiError | undefined {
  try {
    f()
  } catch (e) {
    if (e instanceof ApiError) return e
    throw e
  }
  return undefined
}

describe('impersonate', () => {
  test('without Impersonate-* headers the user is unchanged', () => {
    expect(impersonate(req([]), bob, authorize)).toBe(bob)
  })

  test('system:masters may impersonate a user with groups; system:authenticated is added', () => {
    const u = impersonate(
      req([
        ['Impersonate-User', 'jane'],
        ['Impersonate-Group', 'dev'],
        ['Impersonate-Group', 'ops'],
      ]),
      admin,
      authorize,
    )
    expect(u).toEqual({ name: 'jane', groups: ['dev', 'ops', 'system:authenticated'] })
  })

  test('uid and extra fields come along', () => {
    const u = impersonate(
      req([
        ['Impersonate-User', 'jane'],
        ['Impersonate-Uid', '1234'],
        ['Impersonate-Extra-scopes', 'view'],
        ['Impersonate-Extra-example.com%2fteam', 'blue'],
      ]),
      admin,
      authorize,
    )
    expect(u).toEqual({
      name: 'jane',
      uid: '1234',
      groups: ['system:authenticated'],
      extra: { scopes: ['view'], 'example.com/team': ['blue'] },
    })
  })

  test('a service account gets its groups', () => {
    const u = impersonate(req([['Impersonate-User', 'system:serviceaccount:team:ci']]), admin, authorize)
    expect(u.groups).toEqual(['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'])
  })

  test('impersonating system:anonymous yields system:unauthenticated', () => {
    const u = impersonate(req([['Impersonate-User', 'system:anonymous']]), admin, authorize)
    expect(u).toEqual({ name: 'system:anonymous', groups: ['system:unauthenticated'] })
  })

  test('a user granted impersonate on one name may impersonate exactly that name', () => {
    expect(impersonate(req([['Impersonate-User', 'alice']]), bob, authorize).name).toBe('alice')
    const e = error(() => impersonate(req([['Impersonate-User', 'carol']]), bob, authorize))
    expect(e?.code).toBe(403)
    expect(e?.message).toBe(
      'users "carol" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
    )
  })

  test('groups need their own permission', () => {
    const e = error(() =>
      impersonate(
        req([
          ['Impersonate-User', 'alice'],
          ['Impersonate-Group', 'system:masters'],
        ]),
        bob,
        authorize,
      ),
    )
    expect(e?.code).toBe(403)
    expect(e?.message).toContain('cannot impersonate resource "groups"')
  })

  test('edit lets a user impersonate service accounts of its namespace only', () => {
    expect(impersonate(req([['Impersonate-User', 'system:serviceaccount:team:ci']]), bob, authorize).name).toBe(
      'system:serviceaccount:team:ci',
    )
    const e = error(() => impersonate(req([['Impersonate-User', 'system:serviceaccount:prod:ci']]), bob, authorize))
    expect(e?.message).toBe(
      'serviceaccounts "ci" is forbidden: User "bob" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "prod"',
    )
  })

  test('groups without a user is a 400', () => {
    expect(error(() => impersonate(req([['Impersonate-Group', 'dev']]), admin, authorize))?.code).toBe(400)
  })
})
