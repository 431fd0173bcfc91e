// Authentication and authorization for the API server. Per request, in this order:
//   const user0 = await authenticate(req, identity, tokenAuthenticators)   // 401 on bad credentials
//   const user = impersonate(req, user0, authorizer)                        // kubectl --as; 400/403
//   const attrs = requestAttributes(req.method, url, user)                  // or build your own
//   const d = authorizer(attrs); if (!d.allowed) throw forbiddenError(attrs, d.reason)
// with authorizer = createRbacAuthorizer(rbacSourceFromWatchCache). Reviews: reviewAccess, rulesFor,
// whoami, reviewToken. Default roles and bindings: bootstrapRbac().
export { authenticate, authenticateToken, bearerToken } from './authenticate.ts'
export { bootstrapRbac } from './bootstrap-rbac.ts'
export { forbiddenError, forbiddenMessage } from './forbidden.ts'
export { impersonate, wantsImpersonation } from './impersonate.ts'
export { createRbacAuthorizer, type RulesReviewStatus, rulesFor } from './rbac-authorizer.ts'
export { type PolicyRule, ruleAllows, type Subject, subjectApplies } from './rbac-rules.ts'
export { requestAttributes } from './request-attributes.ts'
export {
  type AccessReviewSpec,
  type AccessReviewStatus,
  reviewAccess,
  reviewToken,
  userInfoJson,
  whoami,
} from './reviews.ts'
export { staticRbacSource } from './static-rbac-source.ts'
export { staticTokenAuthenticator } from './static-tokens.ts'
export type * from './types.ts'
export * from './users.ts'
