// Bootstrap tokens as Secrets (upstream's bootstrap token format): `kubun token create|list` writes and
// reads them; the node-cert endpoint accepts a token whose Secret exists, allows authentication and
// has not expired.
import type { Client } from '../client/types.ts'
import type { KubeObject } from '../registry/types.ts'
import {
  BOOTSTRAP_SECRET_TYPE,
  BOOTSTRAP_TOKEN_RE,
  bootstrapSecretName,
  newBootstrapToken,
  sameSecret,
} from './tokens.ts'

const secrets = { group: '', version: 'v1', resource: 'secrets', namespace: 'kube-system' }
const b64 = (s: string) => Buffer.from(s).toString('base64')
const unb64 = (s: string | undefined) => (s ? Buffer.from(s, 'base64').toString() : '')

export interface BootstrapTokenInfo {
  id: string
  description?: string
  expires?: string
  usages: string[]
}

export function bootstrapTokenSecret(
  token: string,
  o: { ttlMs: number; description?: string; now?: number },
): KubeObject {
  const m = BOOTSTRAP_TOKEN_RE.exec(token)
  if (!m) throw new Error('a bootstrap token looks like abcdef.0123456789abcdef')
  const expiration =
    o.ttlMs > 0 ? new Date((o.now ?? Date.now()) + o.ttlMs).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: bootstrapSecretName(m[1]), namespace: 'kube-system' },
    type: BOOTSTRAP_SECRET_TYPE,
    data: {
      'token-id': b64(m[1]),
      'token-secret': b64(m[2]),
      'usage-bootstrap-authentication': b64('true'),
      'usage-bootstrap-signing': b64('true'),
      'auth-extra-groups': b64('system:bootstrappers:kubun:default-node-token'),
      ...(o.description ? { description: b64(o.description) } : {}),
      ...(expiration ? { expiration: b64(expiration) } : {}),
    },
  }
}

export async function createBootstrapToken(
  client: Client,
  o: { ttlMs: number; description?: string },
): Promise<string> {
  const token = newBootstrapToken()
  await client.create(secrets, bootstrapTokenSecret(token, o))
  return token
}

export function tokenInfo(s: KubeObject): BootstrapTokenInfo | undefined {
  if (s.type !== BOOTSTRAP_SECRET_TYPE) return undefined
  const d = s.data ?? {}
  const usages = Object.keys(d)
    .filter((k) => k.startsWith('usage-bootstrap-') && unb64(d[k]) === 'true')
    .map((k) => k.slice('usage-bootstrap-'.length))
  return {
    id: unb64(d['token-id']),
    description: unb64(d.description) || undefined,
    expires: unb64(d.expiration) || undefined,
    usages,
  }
}

export async function listBootstrapTokens(client: Client): Promise<BootstrapTokenInfo[]> {
  const { items } = await client
    .list(secrets, { fieldSelector: `type=${BOOTSTRAP_SECRET_TYPE}` })
    .catch(() => client.list(secrets))
  return items.map(tokenInfo).filter((t): t is BootstrapTokenInfo => !!t)
}

/** Does the Secret vouch for `token` (right secret, authentication usage, not expired)? */
export function bootstrapSecretAccepts(s: KubeObject | undefined, token: string, now = Date.now()): boolean {
  const m = BOOTSTRAP_TOKEN_RE.exec(token)
  if (!m || !s || s.type !== BOOTSTRAP_SECRET_TYPE) return false
  const d = s.data ?? {}
  if (!sameSecret(unb64(d['token-secret']), m[2]) || unb64(d['token-id']) !== m[1]) return false
  if (unb64(d['usage-bootstrap-authentication']) !== 'true') return false
  const exp = unb64(d.expiration)
  return !exp || Date.parse(exp) > now
}

export async function checkBootstrapToken(client: Client, token: string): Promise<boolean> {
  const m = BOOTSTRAP_TOKEN_RE.exec(token)
  if (!m) return false
  const s = await client.get(secrets, bootstrapSecretName(m[1])).catch(() => undefined)
  return bootstrapSecretAccepts(s, token)
}
