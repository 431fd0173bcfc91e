// Answers for the authorization.k8s.io and authentication.k8s.io review kinds. Pure: the API server
// decodes the request object, calls one of these, and returns the object with `status` set.
import { invalid } from '../../shared/errors.ts'
import type { FieldError } from '../registry/types.ts'
import { authenticateToken } from './authenticate.ts'
import type { Authorizer, RequestAttributes, TokenAuthenticator, UserInfo } from './types.ts'

export interface ResourceAttributes {
  namespace?: string
  verb?: string
  group?: string
  version?: string
  resource?: string
  subresource?: string
  name?: string
}
export interface NonResourceAttributes {
  path?: string
  verb?: string
}
/** SubjectAccessReviewSpec (SelfSubjectAccessReview uses only the attribute parts). */
export interface AccessReviewSpec {
  resourceAttributes?: ResourceAttributes
  nonResourceAttributes?: NonResourceAttributes
  user?: string
  groups?: string[]
  extra?: Record<string, string[]>
  uid?: string
}
export interface AccessReviewStatus {
  allowed: boolean
  denied?: boolean
  reason?: string
  evaluationError?: string
}

function attributeErrors(spec: AccessReviewSpec): FieldError[] {
  const r = spec.resourceAttributes
  const n = spec.nonResourceAttributes
  if (r && n) {
    return [
      {
        type: 'FieldValueInvalid',
        field: 'spec.nonResourceAttributes',
        message: `Invalid value: ${JSON.stringify(n)}: cannot be specified in combination with resourceAttributes`,
      },
    ]
  }
  if (!r && !n) {
    return [
      {
        type: 'FieldValueInvalid',
        field: 'spec.resourceAttributes',
        message: 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
      },
    ]
  }
  return []
}

function toAttributes(user: UserInfo, spec: AccessReviewSpec): RequestAttributes {
  const r = spec.resourceAttributes
  if (r) {
    return {
      user,
      verb: r.verb ?? '',
      resourceRequest: true,
      path: '',
      apiGroup: r.group ?? '',
      apiVersion: r.version ?? '',
      resource: r.resource ?? '',
      ...(r.subresource ? { subresource: r.subresource } : {}),
      ...(r.namespace ? { namespace: r.namespace } : {}),
      ...(r.name ? { name: r.name } : {}),
    }
  }
  const n = spec.nonResourceAttributes ?? {}
  return { user, verb: n.verb ?? '', resourceRequest: false, path: n.path ?? '' }
}

/** SubjectAccessReview (the user comes from the spec) or, with `self`, SelfSubjectAccessReview
 * (the requesting user). Throws 422 Invalid for a malformed spec, as upstream. */
export function reviewAccess(authorize: Authorizer, spec: AccessReviewSpec, self?: UserInfo): AccessReviewStatus {
  const kind = self ? 'SelfSubjectAccessReview' : 'SubjectAccessReview'
  const errors = attributeErrors(spec)
  if (!self && !spec.user && !spec.groups?.length) {
    errors.push({
      type: 'FieldValueInvalid',
      field: 'spec.user',
      message: 'Invalid value: "": at least one of user or group must be specified',
    })
  }
  if (errors.length) throw invalid(kind, 'authorization.k8s.io', '', errors)
  // The spec's user is taken as given: a SubjectAccessReview asks about exactly these groups.
  const user: UserInfo = self ?? {
    name: spec.user ?? '',
    ...(spec.uid ? { uid: spec.uid } : {}),
    groups: spec.groups ?? [],
    ...(spec.extra ? { extra: spec.extra } : {}),
  }
  const d = authorize(toAttributes(user, spec))
  return { allowed: d.allowed, ...(d.reason ? { reason: d.reason } : {}) }
}

/** authentication.k8s.io/v1 UserInfo */
export function userInfoJson(u: UserInfo) {
  return {
    username: u.name,
    ...(u.uid ? { uid: u.uid } : {}),
    groups: u.groups,
    ...(u.extra && Object.keys(u.extra).length ? { extra: u.extra } : {}),
  }
}

/** SelfSubjectReview (`kubectl auth whoami`). */
export function whoami(user: UserInfo) {
  return {
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null },
    status: { userInfo: userInfoJson(user) },
  }
}

/** TokenReview status for `token`, checked against the same authenticators requests use. */
export async function reviewToken(authenticators: TokenAuthenticator[], token: string, audiences?: string[]) {
  const user = token ? await authenticateToken(token, authenticators) : undefined
  if (!user) return { authenticated: false, user: {}, error: 'invalid bearer token' }
  return { authenticated: true, user: userInfoJson(user), ...(audiences?.length ? { audiences } : {}) }
}
