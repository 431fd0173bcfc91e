// ServiceAccount issuer discovery, as kube-apiserver serves it (ServiceAccountIssuerDiscovery, GA 1.21):
// `/.well-known/openid-configuration` names the issuer (the `iss` of every token we sign) and the JWKS
// URI; `/openid/v1/jwks` publishes the signing key so relying parties verify tokens offline. Both are
// authorized as non-resource URLs (bootstrap role system:service-account-issuer-discovery).
import { createHash, createPublicKey } from 'node:crypto'

/** Upstream's keyIDFromPublicKey: base64url(SHA-256(DER SubjectPublicKeyInfo)). Tokens carry it as `kid`. */
export function serviceAccountKeyId(pubPem: string): string {
  const der = createPublicKey(pubPem).export({ type: 'spki', format: 'der' })
  return createHash('sha256').update(der).digest('base64url')
}

export interface OidcDiscoveryOptions {
  issuer: string
  /** PEM public key(s) tokens are signed with */
  pubPem: string
  /** host:port clients reach the API server at; the JWKS URI points there, as upstream's default */
  externalAddress: () => string
  /** the signing algorithm (ES256 for the EC key the PKI generates) */
  alg: string
}

export function oidcDiscovery(o: OidcDiscoveryOptions): (req: Request, path: string) => Response | undefined {
  const jwk = createPublicKey(o.pubPem).export({ format: 'jwk' })
  const jwks = JSON.stringify({ keys: [{ use: 'sig', ...jwk, kid: serviceAccountKeyId(o.pubPem), alg: o.alg }] })
  // built on first use: the listening port is known only once the front is up
  let config: string | undefined
  const configDoc = () =>
    JSON.stringify({
      issuer: o.issuer,
      jwks_uri: `https://${o.externalAddress()}/openid/v1/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [o.alg],
    })
  // upstream lets caches keep both for an hour
  const reply = (body: string, type: string) =>
    new Response(body, { headers: { 'content-type': type, 'cache-control': 'public, max-age=3600' } })
  return (req, path) => {
    if (req.method !== 'GET') return undefined
    const p = path.endsWith('/') ? path.slice(0, -1) : path
    if (p === '/.well-known/openid-configuration') return reply((config ??= configDoc()), 'application/json')
    if (p === '/openid/v1/jwks') return reply(jwks, 'application/jwk-set+json')
    return undefined
  }
}
