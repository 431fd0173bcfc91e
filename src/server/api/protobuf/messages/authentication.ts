// k8s.io/api/authentication/v1 (generated.proto)
import type { MessageTable } from '../message-table.ts'

export const authenticationKinds = ['TokenRequest', 'TokenReview', 'SelfSubjectReview'] as const

export const authenticationMessages = {
  TokenRequest: { metadata: [1, 'ObjectMeta'], spec: [2, 'TokenRequestSpec'], status: [3, 'TokenRequestStatus'] },
  TokenRequestSpec: {
    audiences: [1, 'string[]'],
    expirationSeconds: [4, 'int64?'],
    boundObjectRef: [3, 'BoundObjectReference'],
  },
  BoundObjectReference: { kind: [1, 'string'], apiVersion: [2, 'string'], name: [3, 'string'], uid: [4, 'string'] },
  TokenRequestStatus: { token: [1, 'string!'], expirationTimestamp: [2, 'Time'] },
  TokenReview: { metadata: [1, 'ObjectMeta'], spec: [2, 'TokenReviewSpec'], status: [3, 'TokenReviewStatus'] },
  TokenReviewSpec: { token: [1, 'string'], audiences: [2, 'string[]'] },
  TokenReviewStatus: {
    authenticated: [1, 'bool'],
    user: [2, 'UserInfo'],
    audiences: [4, 'string[]'],
    error: [3, 'string'],
  },
  UserInfo: {
    username: [1, 'string'],
    uid: [2, 'string'],
    groups: [3, 'string[]'],
    extra: [4, 'map<string,ExtraValue>'],
  },
  SelfSubjectReview: { metadata: [1, 'ObjectMeta'], status: [2, 'SelfSubjectReviewStatus'] },
  SelfSubjectReviewStatus: { userInfo: [1, 'UserInfo'] },
} as const satisfies MessageTable
