// Authentication and authorization contracts shared by the API server (src/server/api) and
// src/server/auth. Shapes mirror k8s.io/apiserver's user.Info and authorizer.Attributes.
import type { KubeObject } from '../registry/types.ts'

/** Who is making a request (user.Info upstream). */
export interface UserInfo {
  name: string
  uid?: string
  groups: string[]
  extra?: Record<string, string[]>
}

/** From the verified client certificate, if any (CN → name, O → groups). */
export interface PeerIdentity {
  user?: UserInfo
  /** A client certificate was presented but did not verify against the client CA (why, e.g.
   * UNABLE_TO_VERIFY_LEAF_SIGNATURE). Upstream answers such requests 401, never anonymous. */
  rejected?: string
  /** The client's address as seen by the TLS listener (the request's own IP is the loopback pipe). */
  remoteAddress?: string
}

/** What a request wants to do (authorizer.Attributes upstream). `verb` is the API verb
 * (get, list, watch, create, update, patch, delete, deletecollection, impersonate, ...) for resource
 * requests, the lower-case HTTP method (get, post, put, ...) for non-resource requests. */
export interface RequestAttributes {
  user: UserInfo
  verb: string
  resourceRequest: boolean
  path: string
  apiGroup?: string
  apiVersion?: string
  resource?: string
  subresource?: string
  namespace?: string
  name?: string
}

export interface Decision {
  allowed: boolean
  reason?: string
}

export type Authorizer = (attrs: RequestAttributes) => Decision

/** Reads RBAC objects from the API server's watch cache (synchronous, always current). */
export interface RbacSource {
  roles(namespace: string): KubeObject[]
  roleBindings(namespace: string): KubeObject[]
  clusterRoles(): KubeObject[]
  clusterRoleBindings(): KubeObject[]
}

export interface TokenAuthenticator {
  authenticate(token: string): Promise<UserInfo | undefined>
}
