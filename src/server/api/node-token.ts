// <data-dir>/server/node-token in k3s's secure form `K10<sha256 of the server CA PEM>::server:<secret>`:
// agents check the CA they are shown against the hash before trusting it. Reused across restarts; the
// secret is --token when given, otherwise random.
import { createHash, randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export const caHash = (caPem: string) => createHash('sha256').update(caPem).digest('hex')

export function formatToken(caPem: string, secret: string): string {
  return `K10${caHash(caPem)}::server:${secret}`
}

/** Parses `K10<hash>::<user>:<secret>` (or a bare secret); hash undefined for bare secrets. */
export function parseToken(token: string): { caHash?: string; user: string; secret: string } {
  const m = /^K10([0-9a-f]{64})::([^:]+):(.+)$/.exec(token.trim())
  if (m) return { caHash: m[1], user: m[2], secret: m[3] }
  return { user: 'server', secret: token.trim() }
}

export async function writeNodeToken(dataDir: string, caPem: string, token?: string): Promise<string> {
  const dir = join(dataDir, 'server')
  const path = join(dir, 'node-token')
  await mkdir(dir, { recursive: true, mode: 0o700 })
  let secret = token ? parseToken(token).secret : undefined
  if (!secret) {
    const old = await readFile(path, 'utf8').catch(() => undefined)
    secret = old ? parseToken(old).secret : randomBytes(16).toString('hex')
  }
  const value = formatToken(caPem, secret)
  await writeFile(path, `${value}\n`, { mode: 0o600 })
  await chmod(path, 0o600)
  return path
}
