// Per-request authorization: attributes from the path and verb (src/server/auth's RequestInfoFactory
// port) and kube-apiserver's Forbidden wording that kubectl prints verbatim.
import { forbiddenError } from '../../auth/forbidden.ts'
import type { Authorizer, RequestAttributes } from '../../auth/types.ts'

export function authorizeOrThrow(authorize: Authorizer, attrs: RequestAttributes): void {
  const d = authorize(attrs)
  if (!d.allowed) throw forbiddenError(attrs, d.reason)
}
