// The server side of joining, installed on the API step's pre-routes: the node-token's secret (and any
// bootstrap token) buys a node certificate; /cacerts serves the CA agents pin.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ApiStep } from '../api/start.ts'
import { inProcessClient } from '../client/in-process.ts'
import { type ClusterSettings, joinRoutes } from './routes.ts'
import { parseToken } from './tokens.ts'

export { fetchServerCa, JoinError, type Joined, type JoinOptions, joinServer } from './join-server.ts'
export type { ClusterSettings } from './routes.ts'

export async function serveJoin(
  api: Pick<ApiStep, 'routes' | 'pki' | 'storage' | 'registry'>,
  dataDir: string,
  cluster?: ClusterSettings,
): Promise<void> {
  const token = await readFile(join(dataDir, 'server', 'node-token'), 'utf8')
  const client = inProcessClient({ storage: api.storage, registry: api.registry })
  api.routes.push(joinRoutes({ pki: api.pki, client, serverSecret: parseToken(token).secret, cluster }))
}
