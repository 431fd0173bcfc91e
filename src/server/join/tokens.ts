// Join tokens. The server token is k3s's `K10<sha256 of the server CA PEM>::<user>:<secret>` (or a bare
// secret); bootstrap tokens are upstream's `<id>.<secret>` (6 + 16 chars of [a-z0-9]) kept as Secrets
// `bootstrap-token-<id>` in kube-system. Either may carry the K10 CA hash prefix.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { parseToken } from '../api/node-token.ts'

export { caHash, formatToken, parseToken } from '../api/node-token.ts'

export const BOOTSTRAP_TOKEN_RE = /^([a-z0-9]{6})\.([a-z0-9]{16})$/
export const BOOTSTRAP_SECRET_TYPE = 'bootstrap.kubernetes.io/token'
export const bootstrapSecretName = (id: string) => `bootstrap-token-${id}`

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'
function randomString(n: number): string {
  const bytes = randomBytes(n * 2)
  let out = ''
  for (let i = 0; out.length < n; i++) {
    // rejection sampling keeps every character equally likely
    if (bytes[i] < 252) out += ALPHABET[bytes[i] % 36]
    if (i === bytes.length - 1) return out + randomString(n - out.length)
  }
  return out
}

export const newBootstrapToken = () => `${randomString(6)}.${randomString(16)}`

/**
 * Any join token: `K10<hash>::<user>:<secret>` (server/node token), k3s's bootstrap form
 * `K10<hash>::<id>.<secret>`, a bare `<id>.<secret>`, or a bare server secret.
 */
export function parseJoinToken(token: string): { caHash?: string; secret: string } {
  const t = token.trim()
  const boot = /^K10([0-9a-f]{64})::([a-z0-9]{6}\.[a-z0-9]{16})$/.exec(t)
  if (boot) return { caHash: boot[1], secret: boot[2] }
  const { caHash, secret } = parseToken(t)
  return { caHash, secret }
}

/** The secret part an agent presents: the bootstrap token `<id>.<secret>` or the server secret. */
export function tokenSecret(token: string): string {
  return parseJoinToken(token).secret
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Parses `24h`, `90m`, `30s`, `1h30m`; 0 = never expires. */
export function parseTtl(text: string): number {
  if (text === '0' || text === '0s') return 0
  const re = /(\d+)(h|m|s)/g
  let ms = 0
  let consumed = 0
  for (let m = re.exec(text); m; m = re.exec(text)) {
    ms += Number(m[1]) * { h: 3_600_000, m: 60_000, s: 1000 }[m[2] as 'h' | 'm' | 's']
    consumed += m[0].length
  }
  if (consumed !== text.length || consumed === 0)
    throw new Error(`invalid --ttl "${text}": use a duration such as 24h, 90m or 0 for no expiry`)
  return ms
}
