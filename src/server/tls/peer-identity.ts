// Client certificate → identity, as kube-apiserver's x509 authenticator: CN is the user name, each
// O a group; a certificate that fails verification is an authentication error (401), not anonymous.
import type { PeerIdentity } from '../auth/types.ts'

/** The parts of node:tls's TLSSocket this needs (getPeerCertificate, authorized, authorizationError). */
export interface PeerCertificateFacts {
  authorized: boolean
  authorizationError?: string | Error | null
  /** getPeerCertificate().subject: a repeated attribute (several O) comes as an array */
  subject?: Record<string, string | string[] | undefined>
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v])

export function peerIdentity(p: PeerCertificateFacts, remoteAddress?: string): PeerIdentity {
  const base = remoteAddress ? { remoteAddress } : {}
  // No certificate at all: Node reports an empty object and an issuer error, which means nothing here.
  if (!p.subject || Object.keys(p.subject).length === 0) return base
  if (!p.authorized) return { ...base, rejected: String(p.authorizationError ?? 'certificate not trusted') }
  const [cn] = list(p.subject.CN)
  // Upstream: a verified certificate without a CN authenticates nobody (falls through to other methods).
  if (!cn) return base
  return { ...base, user: { name: cn, groups: list(p.subject.O) } }
}
