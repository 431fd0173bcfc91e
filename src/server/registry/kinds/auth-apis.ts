// apiextensions.k8s.io/v1 CRDs, and the create-only review APIs of authorization/authentication
// (never stored: the handler answers from the request).

import { crdDefaults, validateCrd } from '../crd.ts'
import type { ResourceDef } from '../types.ts'
import { builtin, CREATE_ONLY } from './builtin.ts'

const review = (group: string, kind: string, plural: string, namespaced = false) =>
  builtin(group, 'v1', kind, plural, namespaced, { verbs: CREATE_ONLY, nameRule: 'none' })

export const authApiDefs = (): ResourceDef[] => [
  builtin('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, {
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    defaults: crdDefaults,
    validate: validateCrd,
    subresources: { status: true },
  }),
  review('authorization.k8s.io', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews'),
  review('authorization.k8s.io', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews'),
  review('authorization.k8s.io', 'SubjectAccessReview', 'subjectaccessreviews'),
  review('authorization.k8s.io', 'LocalSubjectAccessReview', 'localsubjectaccessreviews', true),
  review('authentication.k8s.io', 'TokenReview', 'tokenreviews'),
  review('authentication.k8s.io', 'SelfSubjectReview', 'selfsubjectreviews'),
]
