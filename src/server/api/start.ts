// The API step of `kubun server`, top to bottom: PKI → REST storage with primed watch caches → bootstrap
// objects → RBAC from the watch cache → HTTPS front → admin kubeconfig and join token.
import type { Backend } from '../../datastore/backend.ts'
import { logger } from '../../shared/log.ts'
import { bootstrapRbac, createRbacAuthorizer } from '../auth/index.ts'
import type { RbacSource } from '../auth/types.ts'
import { builtinRegistry, defsFromCrd, findDuplicateKeys, type Registry, renderTable } from '../registry/index.ts'
import type { KubeObject } from '../registry/types.ts'
import {
  ensureKubeletClientCert,
  ensurePki,
  hostSans,
  type Pki,
  startTlsFront,
  writeAdminKubeconfig,
} from '../tls/index.ts'
import { bootstrapObjects, ensureObjects } from './bootstrap-objects.ts'
import type { HealthCheck } from './http/health.ts'
import { oidcDiscovery } from './http/oidc-discovery.ts'
import { podStreaming } from './http/pod-proxy.ts'
import {
  SA_ISSUER,
  serviceAccountTokenAuthenticator,
  serviceAccountTokenHandler,
} from './http/service-account-tokens.ts'
import type { BoundObjectLookup } from './http/token-binding.ts'
import { createApiServer, type SubresourceHandler } from './index.ts'
import { writeNodeToken } from './node-token.ts'
import { OpenApiCache } from './openapi/index.ts'
import { decodeKubeProtobuf } from './protobuf/index.ts'
import { type ApiStorage, createApiStorage } from './store/api-storage.ts'
import type { KindStrategy } from './store/kind-strategy.ts'

const log = logger('api')

export interface ApiStepOptions {
  dataDir: string
  bindAddress: string
  port: number
  kubeconfigPath: string
  kubeconfigMode: number
  tlsSan?: string[]
  advertiseAddress?: string
  nodeIp?: string
  serviceCidr: string
  nodePortRange: string
  token?: string
  /** per-kind storage strategies keyed `group/plural` (e.g. pod admission from the node lifecycle) */
  strategies?: Record<string, KindStrategy>
}

/** A handler tried before the Kubernetes API (join endpoints); undefined = not mine. */
export type PreRoute = (req: Request) => Promise<Response | undefined> | Response | undefined

export interface ApiStep {
  port: number
  pki: Pki
  registry: Registry
  storage: ApiStorage
  /** handlers tried in order before the API (add after start; see PreRoute) */
  routes: PreRoute[]
  /** subresource handlers by `resource/subresource` (e.g. `pods/log`, `pods/exec` once an agent serves them);
   * consulted per request, so entries added after start take effect at once. Unhandled streaming ones answer 503. */
  subresources: Record<string, SubresourceHandler>
  stop(): Promise<void>
}

/** The `etcd` health check: a small read every 5 s, as kube-apiserver's etcd probe, so /readyz and
 * /livez report a datastore that stopped answering. */
function datastoreProbe(backend: Backend) {
  const state = { ok: true, stop: () => clearInterval(timer) }
  const timer = setInterval(() => {
    backend.range({ key: '/registry/health', countOnly: true }).then(
      () => (state.ok = true),
      () => (state.ok = false),
    )
  }, 5000)
  timer.unref()
  return state
}

export async function startApi(backend: Backend, o: ApiStepOptions): Promise<ApiStep> {
  const pki = await ensurePki({
    dataDir: o.dataDir,
    ...hostSans({
      tlsSan: o.tlsSan,
      advertiseAddress: o.advertiseAddress,
      nodeIp: o.nodeIp,
      serviceCidr: o.serviceCidr,
    }),
  })
  const registry = builtinRegistry()
  const storage = createApiStorage({
    backend,
    registry,
    serviceCidr: o.serviceCidr,
    nodePortRange: o.nodePortRange,
    strategies: o.strategies,
  })
  await storage.ready

  const def = (group: string, plural: string) => registry.get(group, 'v1', plural)!
  const rbac = 'rbac.authorization.k8s.io'
  const rbacSource: RbacSource = {
    roles: (ns) => storage.snapshot(def(rbac, 'roles'), ns),
    roleBindings: (ns) => storage.snapshot(def(rbac, 'rolebindings'), ns),
    clusterRoles: () => storage.snapshot(def(rbac, 'clusterroles')),
    clusterRoleBindings: () => storage.snapshot(def(rbac, 'clusterrolebindings')),
  }
  await ensureObjects(registry, storage, [
    ...bootstrapObjects({ serviceCidr: o.serviceCidr, port: o.port, advertiseAddress: o.advertiseAddress }),
    ...(bootstrapRbac() as KubeObject[]),
  ])

  const saDef = def('', 'serviceaccounts')
  const boundDefs = { Pod: def('', 'pods'), Secret: def('', 'secrets'), Node: def('', 'nodes') }
  const lookupBound: BoundObjectLookup = (kind, ns, name) =>
    storage.snapshot(boundDefs[kind], kind === 'Node' ? undefined : ns).find((o) => o.metadata?.name === name)
  const saTokens = serviceAccountTokenAuthenticator(
    pki.serviceAccount,
    (ns, name) => storage.snapshot(saDef, ns).find((sa) => sa.metadata?.name === name),
    lookupBound,
  )
  const protobuf = (body: Uint8Array) => decodeKubeProtobuf(body).object
  const openapi = new OpenApiCache(registry)
  // logs/exec/attach/port-forward go to the pod's kubelet with this identity (upstream's kubelet-client cert).
  const pods = podStreaming({
    getNode: (name) => storage.snapshot(def('', 'nodes')).find((n) => n.metadata?.name === name),
    kubeletClient: await ensureKubeletClientCert(pki),
    serverCaPem: pki.serverCa.certPem,
  })
  const subresources: Record<string, SubresourceHandler> = {
    'serviceaccounts/token': serviceAccountTokenHandler(pki.serviceAccount, protobuf, lookupBound),
    ...pods.handlers,
  }
  const datastore = datastoreProbe(backend)
  const healthChecks: HealthCheck[] = [
    { name: 'ping', check: () => true },
    { name: 'log', check: () => true },
    { name: 'etcd', check: () => datastore.ok },
    { name: 'poststarthook/rbac/bootstrap-roles', check: () => true },
    { name: 'informer-sync', check: () => true, readyOnly: true },
  ]
  const api = createApiServer({
    registry,
    storage,
    authorize: createRbacAuthorizer(rbacSource),
    rbacSource,
    openapi: {
      v3Index: () => openapi.v3Index().body,
      v3Document: (key) => openapi.document(key)?.body,
      v2: () => openapi.v2Document().body,
    },
    findDuplicateKeys,
    renderTable,
    defsFromCrd,
    protobuf,
    tokenAuthenticators: [saTokens],
    subresources,
    healthChecks,
    metricsSources: { resources: () => storage.cacheStats() },
    nonResource: oidcDiscovery({
      issuer: SA_ISSUER,
      pubPem: pki.serviceAccount.pubPem,
      externalAddress: () => `${o.advertiseAddress ?? '127.0.0.1'}:${front.port}`,
      alg: 'ES256',
    }),
    serverAddress: `${o.advertiseAddress ?? '127.0.0.1'}:${o.port}`,
  })
  await api.crds?.start()

  const routes: PreRoute[] = []
  const fetchWithRoutes: typeof api.fetch = async (req, peer, server) => {
    for (const r of routes) {
      const res = await r(req)
      if (res) return res
    }
    return api.fetch(req, peer, server)
  }
  const front = await startTlsFront({
    host: o.bindAddress,
    port: o.port,
    pki,
    backend: { fetch: fetchWithRoutes, websocket: pods.websocket },
  })
  await writeAdminKubeconfig(pki, {
    path: o.kubeconfigPath,
    mode: o.kubeconfigMode,
    server: `https://127.0.0.1:${front.port}`,
  })
  await writeNodeToken(o.dataDir, pki.serverCa.certPem, o.token)
  log.debug('API server serving', { port: front.port })
  return {
    port: front.port,
    pki,
    registry,
    storage,
    routes,
    subresources,
    async stop() {
      api.crds?.stop()
      datastore.stop()
      await front.stop()
      storage.close()
    },
  }
}
