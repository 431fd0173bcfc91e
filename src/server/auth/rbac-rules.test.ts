import { describe, expect, test } from 'bun:test'
import {
  nonResourceURLMatches,
  type PolicyRule,
  resourceMatches,
  resourceNameMatches,
  ruleAllows,
  subjectApplies,
} from './rbac-rules.ts'
import type { RequestAttributes } from './types.ts'
import { serviceAccountUser } from './users.ts'

const bob = { name: 'bob', groups: ['dev', 'system:authenticated'] }

describe('resourceMatches', () => {
  test.each<[string[], string, string | undefined, boolean]>([
    [['pods'], 'pods', undefined, true],
    [['pods'], 'pods', 'log', false],
    [['pods/log'], 'pods', 'log', true],
    [['pods/log'], 'pods', undefined, false],
    [['*'], 'pods', 'exec', true],
    [['*'], 'secrets', undefined, true],
    [['*/scale'], 'deployments', 'scale', true],
    [['*/scale'], 'deployments', undefined, false],
    [['*/scale'], 'deployments', 'status', false],
    [['*/status'], 'statefulsets', 'status', true],
    [['deployments', 'replicasets'], 'replicasets', undefined, true],
    [['deployments'], 'deployment', undefined, false],
    [[], 'pods', undefined, false],
  ])('%j vs %s/%s → %s', (resources, resource, sub, want) => {
    expect(resourceMatches({ verbs: ['get'], resources }, resource, sub)).toBe(want)
  })
})

describe('resourceNameMatches', () => {
  test.each<[string[] | undefined, string | undefined, boolean]>([
    [undefined, undefined, true],
    [[], 'a', true],
    [['a'], 'a', true],
    [['a'], 'b', false],
    [['a'], undefined, false], // list/create carry no name: a name-restricted rule never allows them
  ])('%j vs %s → %s', (resourceNames, name, want) => {
    expect(resourceNameMatches({ verbs: ['get'], resourceNames }, name)).toBe(want)
  })
})

describe('nonResourceURLMatches', () => {
  test.each<[string[], string, boolean]>([
    [['/healthz'], '/healthz', true],
    [['/healthz'], '/healthz/etcd', false],
    [['/healthz/*'], '/healthz/etcd', true],
    [['/healthz/*'], '/healthz', false],
    [['/apis/*'], '/apis/apps/v1', true],
    [['/apis*'], '/apis', true],
    [['*'], '/anything', true],
    [['/version'], '/version/', false],
  ])('%j vs %s → %s', (nonResourceURLs, path, want) => {
    expect(nonResourceURLMatches({ verbs: ['get'], nonResourceURLs }, path)).toBe(want)
  })
})

const req = (p: Partial<RequestAttributes>): RequestAttributes => ({
  user: bob,
  verb: 'get',
  resourceRequest: true,
  path: '',
  apiGroup: '',
  ...p,
})

describe('ruleAllows', () => {
  const cases: [string, PolicyRule, Partial<RequestAttributes>, boolean][] = [
    [
      'exact verb, group, resource',
      { verbs: ['list'], apiGroups: [''], resources: ['pods'] },
      { verb: 'list', resource: 'pods' },
      true,
    ],
    [
      'other verb',
      { verbs: ['list'], apiGroups: [''], resources: ['pods'] },
      { verb: 'delete', resource: 'pods' },
      false,
    ],
    [
      'wildcard verb',
      { verbs: ['*'], apiGroups: [''], resources: ['pods'] },
      { verb: 'deletecollection', resource: 'pods' },
      true,
    ],
    [
      'other group',
      { verbs: ['get'], apiGroups: [''], resources: ['deployments'] },
      { resource: 'deployments', apiGroup: 'apps' },
      false,
    ],
    [
      'wildcard group',
      { verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] },
      { resource: 'deployments', apiGroup: 'apps' },
      true,
    ],
    ['missing apiGroups matches nothing', { verbs: ['get'], resources: ['pods'] }, { resource: 'pods' }, false],
    [
      'name-restricted get',
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['cfg'] },
      { resource: 'configmaps', name: 'cfg' },
      true,
    ],
    [
      'name-restricted, other name',
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['cfg'] },
      { resource: 'configmaps', name: 'x' },
      false,
    ],
    [
      'subresource needs its own rule',
      { verbs: ['create'], apiGroups: [''], resources: ['pods'] },
      { verb: 'create', resource: 'pods', subresource: 'exec', name: 'p' },
      false,
    ],
    [
      'subresource rule',
      { verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] },
      { verb: 'create', resource: 'pods', subresource: 'exec', name: 'p' },
      true,
    ],
    [
      'resource rule does not grant a path',
      { verbs: ['get'], apiGroups: ['*'], resources: ['*'] },
      { resourceRequest: false, path: '/metrics' },
      false,
    ],
    [
      'path rule',
      { verbs: ['get'], nonResourceURLs: ['/metrics'] },
      { resourceRequest: false, path: '/metrics' },
      true,
    ],
    [
      'path rule, other verb',
      { verbs: ['get'], nonResourceURLs: ['/metrics'] },
      { resourceRequest: false, path: '/metrics', verb: 'post' },
      false,
    ],
    ['path rule does not grant resources', { verbs: ['*'], nonResourceURLs: ['*'] }, { resource: 'pods' }, false],
  ]
  test.each(cases)('%s', (_, rule, attrs, want) => expect(ruleAllows(req(attrs), rule)).toBe(want))
})

describe('subjectApplies', () => {
  const sa = serviceAccountUser('team', 'builder')
  test.each<[string, { name: string; groups: string[] }, any, string, boolean]>([
    ['user by name', bob, { kind: 'User', name: 'bob' }, '', true],
    ['other user', bob, { kind: 'User', name: 'alice' }, '', false],
    ['group member', bob, { kind: 'Group', name: 'dev' }, '', true],
    ['not a member', bob, { kind: 'Group', name: 'ops' }, '', false],
    ['user name is not a group', bob, { kind: 'Group', name: 'bob' }, '', false],
    ['service account', sa, { kind: 'ServiceAccount', name: 'builder', namespace: 'team' }, '', true],
    ['service account, other namespace', sa, { kind: 'ServiceAccount', name: 'builder', namespace: 'prod' }, '', false],
    [
      'service account defaults to the binding namespace',
      sa,
      { kind: 'ServiceAccount', name: 'builder' },
      'team',
      true,
    ],
    ['namespace-less SA subject in a cluster binding', sa, { kind: 'ServiceAccount', name: 'builder' }, '', false],
    [
      'SA subject does not match a look-alike user',
      { name: 'builder', groups: [] },
      { kind: 'ServiceAccount', name: 'builder', namespace: 'team' },
      '',
      false,
    ],
    ['SA groups', sa, { kind: 'Group', name: 'system:serviceaccounts:team' }, '', true],
    ['unknown kind', bob, { kind: 'Robot', name: 'bob' }, '', false],
  ])('%s', (_, user, subject, ns, want) => expect(subjectApplies(user, subject, ns)).toBe(want))
})
