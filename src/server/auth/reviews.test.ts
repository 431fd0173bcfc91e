import { describe, expect, test } from 'bun:test'
import { ApiError } from '../../shared/errors.ts'
import { bootstrapRbac } from './bootstrap-rbac.ts'
import { createRbacAuthorizer } from './rbac-authorizer.ts'
import { reviewAccess, reviewToken, whoami } from './reviews.ts'
import { staticRbacSource } from './static-rbac-source.ts'
import { staticTokenAuthenticator } from './static-tokens.ts'

const authorize = createRbacAuthorizer(staticRbacSource(bootstrapRbac()))
const bob = { name: 'bob', groups: ['system:authenticated'] }

describe('reviewAccess', () => {
  test('SubjectAccessReview about a group', () => {
    expect(
      reviewAccess(authorize, {
        user: 'x',
        groups: ['system:masters'],
        resourceAttributes: { verb: 'delete', resource: 'nodes' },
      }),
    ).toEqual({ allowed: true })
  })

  test('SubjectAccessReview takes the spec groups as given (no system:authenticated added)', () => {
    expect(reviewAccess(authorize, { user: 'bob', nonResourceAttributes: { path: '/api', verb: 'get' } }).allowed).toBe(
      false,
    )
    const s = reviewAccess(authorize, {
      user: 'bob',
      groups: ['system:authenticated'],
      nonResourceAttributes: { path: '/api', verb: 'get' },
    })
    expect(s).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"',
    })
  })

  test('SelfSubjectAccessReview asks about the requester', () => {
    expect(
      reviewAccess(authorize, { resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'default' } }, bob),
    ).toEqual({
      allowed: false,
    })
    expect(
      reviewAccess(
        authorize,
        { resourceAttributes: { verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectrulesreviews' } },
        bob,
      ).allowed,
    ).toBe(true)
  })

  test.each<[string, object, string]>([
    [
      'neither attribute set',
      { user: 'bob' },
      'exactly one of nonResourceAttributes or resourceAttributes must be specified',
    ],
    [
      'both attribute sets',
      { user: 'bob', resourceAttributes: {}, nonResourceAttributes: {} },
      'cannot be specified in combination',
    ],
    ['no user nor group', { resourceAttributes: { verb: 'get' } }, 'at least one of user or group must be specified'],
  ])('422 when %s', (_, spec, text) => {
    try {
      reviewAccess(authorize, spec)
      throw new Error('expected a 422')
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError)
      expect((e as ApiError).code).toBe(422)
      expect((e as ApiError).message).toContain(text)
    }
  })
})

describe('whoami', () => {
  test('answers a SelfSubjectReview', () => {
    expect(whoami({ name: 'system:admin', groups: ['system:masters', 'system:authenticated'] })).toEqual({
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      status: { userInfo: { username: 'system:admin', groups: ['system:masters', 'system:authenticated'] } },
    })
  })
})

describe('reviewToken', () => {
  const tokens = [staticTokenAuthenticator({ good: { name: 'robot', uid: 'r1', groups: [] } })]
  test('a known token is authenticated, with system:authenticated', async () => {
    expect(await reviewToken(tokens, 'good')).toEqual({
      authenticated: true,
      user: { username: 'robot', uid: 'r1', groups: ['system:authenticated'] },
    })
  })
  test('an unknown or empty token is not', async () => {
    expect((await reviewToken(tokens, 'bad')).authenticated).toBe(false)
    expect((await reviewToken(tokens, '')).authenticated).toBe(false)
  })
})
