// The join endpoints agents (and `kubun simulate`) call on the API port, outside the Kubernetes API:
//   GET  /cacerts, /v1-kubun/cacerts   the server CA PEM, unauthenticated (as k3s's /cacerts); the agent
//                                       checks it against the hash in its K10 token before trusting it
//   POST /v1-kubun/node-cert           Authorization: Bearer <server secret | bootstrap token>,
//                                       {nodeName, nodePassword} → a client certificate for
//                                       CN=system:node:<name>, O=system:nodes, its key and the CA

import { isIP } from 'node:net'
import { logger } from '../../shared/log.ts'
import type { Client } from '../client/types.ts'
import { issueClientCert, issueLeaf, type Pki } from '../tls/index.ts'
import { checkBootstrapToken } from './bootstrap-tokens.ts'
import { ensureNodePassword, NodePasswordMismatch } from './node-password.ts'
import { BOOTSTRAP_TOKEN_RE, sameSecret, tokenSecret } from './tokens.ts'

const log = logger('join')
export const CACERTS_PATHS = ['/cacerts', '/v1-kubun/cacerts']
export const NODE_CERT_PATH = '/v1-kubun/node-cert'
const NODE_NAME_RE = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/

export interface NodeCertResponse {
  certPem: string
  keyPem: string
  caPem: string
  /** the kubelet API's serving certificate (server CA) for the node name and the requested servingIps,
   * as k3s's serving-kubelet.crt; the API server verifies kubelets against the server CA */
  kubeletServing?: { certPem: string; keyPem: string }
  /** the client CA: the kubelet API admits only certificates it signed (the API server's kubelet client) */
  clientCaPem?: string
  /** the server's cluster settings, as k3s agents receive them from the server rather than from flags */
  cluster?: ClusterSettings
}

export interface ClusterSettings {
  clusterCidr: string
  serviceCidr: string
  clusterDns: string
  clusterDomain: string
  nodePortRange: string
}

export interface JoinRoutesOptions {
  pki: Pki
  /** an admin client (reads bootstrap tokens, writes node-password Secrets) */
  client: Client
  /** the secret of the server's node-token */
  serverSecret: string
  /** handed to every joining node with its certificate */
  cluster?: ClusterSettings
}

export type Route = (req: Request) => Promise<Response | undefined> | Response | undefined

const problem = (status: number, message: string) =>
  new Response(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: status, message }), {
    status,
    headers: { 'content-type': 'application/json' },
  })

export function joinRoutes(o: JoinRoutesOptions): Route {
  return async (req) => {
    const path = new URL(req.url).pathname
    if (CACERTS_PATHS.includes(path) && req.method === 'GET')
      return new Response(o.pki.serverCa.certPem, { headers: { 'content-type': 'application/x-pem-file' } })
    if (path !== NODE_CERT_PATH) return undefined
    if (req.method !== 'POST') return problem(405, 'use POST')
    const auth = /^bearer\s+(.+)$/i.exec(req.headers.get('authorization') ?? '')?.[1]?.trim()
    if (!auth || !(await tokenAccepted(o, auth)))
      return problem(
        401,
        'join token not accepted: use the server node-token or a bootstrap token from `kubun token create`',
      )
    let body: { nodeName?: string; nodePassword?: string; servingIps?: string[] }
    try {
      body = (await req.json()) as typeof body
    } catch {
      return problem(400, 'expected a JSON body {"nodeName": ..., "nodePassword": ...}')
    }
    const name = body.nodeName ?? ''
    if (!NODE_NAME_RE.test(name)) return problem(400, `invalid node name "${name}": use a lower-case DNS name`)
    if (!body.nodePassword) return problem(400, 'nodePassword is required')
    try {
      await ensureNodePassword(o.client, name, body.nodePassword)
    } catch (e) {
      if (e instanceof NodePasswordMismatch) return problem(403, e.message)
      throw e
    }
    const cert = await issueClientCert(o.pki, { cn: `system:node:${name}`, orgs: ['system:nodes'] })
    log.debug('issued a node certificate', { node: name })
    const ips = (Array.isArray(body.servingIps) ? body.servingIps : []).filter((ip) => isIP(String(ip)))
    const serving = await issueLeaf(o.pki.serverCa, {
      cn: `system:node:${name}`,
      orgs: ['system:nodes'],
      days: 365,
      server: { dns: [name], ips: ['127.0.0.1', ...ips] },
    })
    const out: NodeCertResponse = {
      certPem: cert.certPem,
      keyPem: cert.keyPem,
      caPem: o.pki.serverCa.certPem,
      kubeletServing: serving,
      clientCaPem: o.pki.clientCa.certPem,
      ...(o.cluster && { cluster: o.cluster }),
    }
    return new Response(JSON.stringify(out), { headers: { 'content-type': 'application/json' } })
  }
}

async function tokenAccepted(o: JoinRoutesOptions, token: string): Promise<boolean> {
  const secret = tokenSecret(token)
  if (sameSecret(secret, o.serverSecret)) return true
  return BOOTSTRAP_TOKEN_RE.test(secret) && checkBootstrapToken(o.client, secret)
}
