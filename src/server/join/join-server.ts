// The agent side of joining, as a k3s agent does it: fetch the server CA without verification, check
// its sha256 against the K10 hash in the token (a mismatch means a wrong token or a man in the middle),
// then over verified TLS trade the token and this node's password for a node client certificate.
// Returns a Client authenticated as system:node:<name>. Real agents and `kubun simulate` both use it.
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { HttpClient } from '../client/http.ts'
import type { ClusterSettings, NodeCertResponse } from './routes.ts'
import { caHash, parseJoinToken } from './tokens.ts'

export class JoinError extends Error {
  override name = 'JoinError'
}

export interface JoinOptions {
  /** https://HOST:PORT */
  server: string
  token: string
  nodeName: string
  /** keeps the node password (`<dataDir>/agent/node-password`); omit to pass nodePassword */
  dataDir?: string
  nodePassword?: string
  /** the CA already fetched and checked (simulate joins many nodes with one fetch) */
  caPem?: string
  userAgent?: string
  /** node addresses for the kubelet API's serving certificate (Joined.kubeletServing) */
  servingIps?: string[]
}

export interface Joined {
  client: HttpClient
  caPem: string
  certPem: string
  keyPem: string
  /** the kubelet API's serving certificate and the client CA it admits (src/agent/streaming) */
  kubeletServing?: { certPem: string; keyPem: string }
  clientCaPem?: string
  /** the server's cluster CIDRs, DNS and domain (absent from servers before this field existed) */
  cluster?: ClusterSettings
}

/** GET /cacerts without verifying TLS, then check the hash the token pins. */
export async function fetchServerCa(server: string, token: string): Promise<string> {
  const base = server.replace(/\/+$/, '')
  let res: Response
  try {
    res = await fetch(`${base}/cacerts`, { tls: { rejectUnauthorized: false } } as RequestInit)
  } catch (e) {
    throw new JoinError(
      `cannot reach the server at ${base}: ${(e as Error).message}; check --server and that the server is running`,
    )
  }
  if (!res.ok) throw new JoinError(`the server at ${base} answered ${res.status} for /cacerts; is it a kubun server?`)
  const caPem = await res.text()
  const want = parseJoinToken(token).caHash
  if (want && caHash(caPem) !== want)
    throw new JoinError(
      `the server's CA does not match the hash in the token (K10${want.slice(0, 12)}…); use the token from <data-dir>/server/node-token of this server`,
    )
  return caPem
}

async function nodePassword(o: JoinOptions): Promise<string> {
  if (o.nodePassword) return o.nodePassword
  if (!o.dataDir) return randomBytes(16).toString('hex')
  const dir = join(o.dataDir, 'agent')
  const path = join(dir, 'node-password')
  const old = await readFile(path, 'utf8').catch(() => undefined)
  if (old?.trim()) return old.trim()
  const fresh = randomBytes(16).toString('hex')
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await writeFile(path, `${fresh}\n`, { mode: 0o600 })
  return fresh
}

export async function joinServer(o: JoinOptions): Promise<Joined> {
  const server = o.server.replace(/\/+$/, '')
  const caPem = o.caPem ?? (await fetchServerCa(server, o.token))
  const password = await nodePassword(o)
  let res: Response
  try {
    res = await fetch(`${server}/v1-kubun/node-cert`, {
      method: 'POST',
      headers: { authorization: `Bearer ${parseJoinToken(o.token).secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ nodeName: o.nodeName, nodePassword: password, servingIps: o.servingIps }),
      tls: { ca: caPem, rejectUnauthorized: true },
    } as RequestInit)
  } catch (e) {
    throw new JoinError(`cannot reach the server at ${server}: ${(e as Error).message}`)
  }
  const text = await res.text()
  if (!res.ok) {
    let msg = text.trim()
    try {
      msg = JSON.parse(text).message ?? msg
    } catch {}
    throw new JoinError(`joining as node "${o.nodeName}" failed (HTTP ${res.status}): ${msg}`)
  }
  const cert = JSON.parse(text) as NodeCertResponse
  const client = new HttpClient({
    server,
    ca: caPem,
    cert: cert.certPem,
    key: cert.keyPem,
    userAgent: o.userAgent ?? `kubun-agent/${o.nodeName}`,
  })
  return {
    client,
    caPem,
    certPem: cert.certPem,
    keyPem: cert.keyPem,
    kubeletServing: cert.kubeletServing,
    clientCaPem: cert.clientCaPem,
    cluster: cert.cluster,
  }
}
