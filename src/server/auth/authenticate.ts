// Who is asking, as kube-apiserver's authenticator chain: client certificate, then bearer token, then
// anonymous. A bad bearer token or an untrusted client certificate is a 401, never anonymous
// (upstream wraps the chain in FailOnError so bad credentials are not silently downgraded).
import { unauthorized } from '../../shared/errors.ts'
import { logger } from '../../shared/log.ts'
import type { PeerIdentity, TokenAuthenticator, UserInfo } from './types.ts'
import { anonymousUser, withAuthenticatedGroup } from './users.ts'

const log = logger('authn')
const WS_TOKEN_PREFIX = 'base64url.bearer.authorization.k8s.io.'

/** The bearer token of a request: `Authorization: Bearer T`, or for WebSockets (browsers cannot set
 * headers) the subprotocol `base64url.bearer.authorization.k8s.io.<base64url(T)>` as upstream accepts. */
export function bearerToken(req: Request): string | undefined {
  const auth = req.headers.get('authorization')
  if (auth) {
    const m = /^bearer\s+(.*)$/i.exec(auth.trim())
    if (m) return m[1].trim() || undefined
  }
  if (req.headers.get('upgrade')?.toLowerCase() === 'websocket') {
    for (const p of (req.headers.get('sec-websocket-protocol') ?? '').split(',')) {
      const v = p.trim()
      if (v.startsWith(WS_TOKEN_PREFIX)) {
        const t = Buffer.from(v.slice(WS_TOKEN_PREFIX.length), 'base64url').toString()
        return t || undefined
      }
    }
  }
  return undefined
}

/** Runs the authenticators in order; the first that knows the token wins. */
export async function authenticateToken(
  token: string,
  authenticators: TokenAuthenticator[],
): Promise<UserInfo | undefined> {
  for (const a of authenticators) {
    try {
      const user = await a.authenticate(token)
      if (user) return withAuthenticatedGroup(user)
    } catch (e) {
      // An authenticator failing (e.g. a malformed JWT) only means it does not vouch for the token.
      log.debug('token authenticator failed', { error: e })
    }
  }
  return undefined
}

/** The request's user, with system:authenticated added, or the anonymous user. Throws 401 for
 * credentials that do not check out. */
export async function authenticate(
  req: Request,
  identity: PeerIdentity,
  tokenAuthenticators: TokenAuthenticator[],
): Promise<UserInfo> {
  if (identity.user) return withAuthenticatedGroup(identity.user)
  const token = bearerToken(req)
  if (token !== undefined) {
    const user = await authenticateToken(token, tokenAuthenticators)
    if (user) return user
    throw unauthorized()
  }
  if (identity.rejected) throw unauthorized()
  return anonymousUser()
}
