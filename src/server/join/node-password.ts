// Node passwords, as k3s's node-password Secrets: the first join of a node name records a hash of the
// password the agent keeps on disk in Secret `<node>.node-password.kubun` (kube-system); a later join of
// the same name with another password is refused, so one machine cannot take over another's node name.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto'
import type { Client } from '../client/types.ts'

const secrets = { group: '', version: 'v1', resource: 'secrets', namespace: 'kube-system' }
export const nodePasswordSecretName = (node: string) => `${node}.node-password.kubun`
export const NODE_PASSWORD_SECRET_TYPE = 'kubun.io/node-password'

export class NodePasswordMismatch extends Error {
  constructor(node: string) {
    super(
      `node "${node}" is already registered with another node password; use another --node-name, or delete Secret ${nodePasswordSecretName(node)} in kube-system (and the Node) to let this machine take the name`,
    )
    this.name = 'NodePasswordMismatch'
  }
}

// scrypt with small parameters: the password is random (not user-chosen), the hash only has to be one-way
const SCRYPT = { N: 1024, r: 8, p: 1 }

export function hashNodePassword(password: string, salt = randomBytes(16)): string {
  return `scrypt$${salt.toString('hex')}$${scryptSync(password, salt, 32, SCRYPT).toString('hex')}`
}

export function verifyNodePassword(password: string, hash: string): boolean {
  const [kind, salt, want] = hash.split('$')
  if (kind !== 'scrypt' || !salt || !want) return false
  const got = scryptSync(password, Buffer.from(salt, 'hex'), 32, SCRYPT)
  const w = Buffer.from(want, 'hex')
  return w.length === got.length && timingSafeEqual(got, w)
}

/** Records the password on first join, checks it on later ones; throws NodePasswordMismatch. */
export async function ensureNodePassword(client: Client, node: string, password: string): Promise<void> {
  const name = nodePasswordSecretName(node)
  const existing = await client.get<any>(secrets, name).catch((e) => {
    if (e.code === 404) return undefined
    throw e
  })
  if (existing) {
    const hash = Buffer.from(existing.data?.hash ?? '', 'base64').toString()
    if (!verifyNodePassword(password, hash)) throw new NodePasswordMismatch(node)
    return
  }
  await client
    .create(secrets, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'kube-system' },
      type: NODE_PASSWORD_SECRET_TYPE,
      data: { hash: Buffer.from(hashNodePassword(password)).toString('base64') },
    })
    .catch(async (e) => {
      // two joins racing for one name: the loser checks against the winner's hash
      if (e.code === 409) return ensureNodePassword(client, node, password)
      throw e
    })
}
