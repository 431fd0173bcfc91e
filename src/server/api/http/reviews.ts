// Create-only review resources, answered and never stored: SelfSubjectAccessReview, SubjectAccessReview,
// LocalSubjectAccessReview, SelfSubjectRulesReview (authorization.k8s.io), SelfSubjectReview and
// TokenReview (authentication.k8s.io). `kubectl auth can-i` and `auth whoami` use them.
import { badRequest } from '../../../shared/errors.ts'
import type { Authorizer, RequestAttributes, UserInfo } from '../../auth/types.ts'
import type { KubeObject } from '../../registry/types.ts'
import type { ApiServerOptions } from './types.ts'

export const REVIEW_RESOURCES: Record<string, string> = {
  'authorization.k8s.io/selfsubjectaccessreviews': 'SelfSubjectAccessReview',
  'authorization.k8s.io/subjectaccessreviews': 'SubjectAccessReview',
  'authorization.k8s.io/localsubjectaccessreviews': 'LocalSubjectAccessReview',
  'authorization.k8s.io/selfsubjectrulesreviews': 'SelfSubjectRulesReview',
  'authentication.k8s.io/selfsubjectreviews': 'SelfSubjectReview',
  'authentication.k8s.io/tokenreviews': 'TokenReview',
}

export const isReview = (group: string | undefined, resource: string | undefined) =>
  !!group && !!resource && `${group}/${resource}` in REVIEW_RESOURCES

function attributesFromSpec(user: UserInfo, spec: any): RequestAttributes {
  const ra = spec?.resourceAttributes
  const nra = spec?.nonResourceAttributes
  if (ra) {
    return {
      user,
      verb: ra.verb ?? '',
      resourceRequest: true,
      path: '',
      apiGroup: ra.group ?? '',
      apiVersion: ra.version,
      resource: ra.resource ?? '',
      ...(ra.subresource ? { subresource: ra.subresource } : {}),
      ...(ra.namespace ? { namespace: ra.namespace } : {}),
      ...(ra.name ? { name: ra.name } : {}),
    }
  }
  if (nra) return { user, verb: nra.verb ?? '', resourceRequest: false, path: nra.path ?? '' }
  throw badRequest('spec: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified')
}

function accessStatus(authorize: Authorizer, attrs: RequestAttributes) {
  const d = authorize(attrs)
  return { allowed: d.allowed, ...(d.reason ? { reason: d.reason } : {}) }
}

const userInfoOut = (u: UserInfo) => ({
  username: u.name,
  ...(u.uid ? { uid: u.uid } : {}),
  groups: u.groups,
  ...(u.extra ? { extra: u.extra } : {}),
})

export async function review(
  group: string,
  resource: string,
  version: string,
  namespace: string | undefined,
  body: KubeObject,
  user: UserInfo,
  opts: ApiServerOptions,
): Promise<KubeObject> {
  const kind = REVIEW_RESOURCES[`${group}/${resource}`]
  const base = {
    kind,
    apiVersion: `${group}/${version}`,
    metadata: { ...(body.metadata ?? {}), creationTimestamp: null as any },
  }
  const spec = body.spec ?? {}
  switch (kind) {
    case 'SelfSubjectAccessReview':
      return { ...base, spec, status: accessStatus(opts.authorize, attributesFromSpec(user, spec)) }
    case 'SubjectAccessReview':
    case 'LocalSubjectAccessReview': {
      const subject: UserInfo = {
        name: spec.user ?? '',
        groups: spec.groups ?? [],
        ...(spec.uid ? { uid: spec.uid } : {}),
        ...(spec.extra ? { extra: spec.extra } : {}),
      }
      const attrs = attributesFromSpec(subject, spec)
      if (kind === 'LocalSubjectAccessReview' && attrs.resourceRequest) attrs.namespace = namespace
      return { ...base, spec, status: accessStatus(opts.authorize, attrs) }
    }
    case 'SelfSubjectRulesReview': {
      const ns = spec.namespace ?? ''
      const rules = opts.rulesFor?.(user, ns) ?? { resourceRules: [], nonResourceRules: [], incomplete: true }
      return { ...base, spec, status: rules }
    }
    case 'SelfSubjectReview':
      return { ...base, status: { userInfo: userInfoOut(user) } }
    case 'TokenReview': {
      const token = spec.token
      if (!token) throw badRequest('spec.token: Required value: token must not be empty')
      const who = await opts.reviewToken?.(token)
      return {
        ...base,
        spec: { ...spec, token: undefined },
        status: who
          ? { authenticated: true, user: userInfoOut(who), audiences: spec.audiences }
          : { authenticated: false },
      }
    }
  }
  throw badRequest(`unsupported review ${resource}`)
}
