// What every cluster has from its first start (upstream's system namespaces controller and the
// `kubernetes` Service reconciler): the four system namespaces, and the `kubernetes` Service at the
// first service IP, 443 → the API server's port. Idempotent: runs on every start, creates only what is missing.
import { ApiError } from '../../shared/errors.ts'
import { logger } from '../../shared/log.ts'
import type { UserInfo } from '../auth/types.ts'
import type { KubeObject, ResourceDef } from '../registry/types.ts'
import { firstIp, parseServiceCidr } from './allocators/ip-range.ts'
import type { RequestContext, ResourceStore } from './store/types.ts'

const log = logger('bootstrap')

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease']
const BOOTSTRAP_USER: UserInfo = { name: 'system:apiserver', groups: ['system:masters'] }

export interface BootstrapDeps {
  storage: { storeFor(def: ResourceDef): ResourceStore }
  registry: {
    get(group: string, version: string, plural: string): ResourceDef | undefined
    byKind(group: string, kind: string): ResourceDef | undefined
  }
}

const ctx = (): RequestContext => ({ user: BOOTSTRAP_USER, warnings: [], fieldManager: 'kube-apiserver' })

export interface BootstrapOptions {
  /** --service-cidr: the `kubernetes` Service gets its first address */
  serviceCidr: string
  /** the API server's secure port, the Service's targetPort (default 6443) */
  securePort?: number
}

export async function bootstrapCluster(deps: BootstrapDeps, opts: BootstrapOptions): Promise<void> {
  await ensureObjects(
    deps,
    SYSTEM_NAMESPACES.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
  )
  await ensureObjects(deps, [kubernetesService(opts)])
}

export function kubernetesService(opts: BootstrapOptions): KubeObject {
  const ip = firstIp(parseServiceCidr(opts.serviceCidr))
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: ip,
      clusterIPs: [ip],
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: opts.securePort ?? 6443 }],
      sessionAffinity: 'None',
    },
  }
}

/** Creates each object unless one of that name exists (upstream's bootstrap policy does the same for RBAC). */
export async function ensureObjects(deps: BootstrapDeps, objs: KubeObject[]): Promise<{ created: number }> {
  let created = 0
  for (const obj of objs) {
    const [group, version] = splitApiVersion(obj.apiVersion ?? '')
    const def = deps.registry.byKind(group, obj.kind ?? '')
    if (!def) throw new Error(`bootstrap: no resource serves ${obj.apiVersion} ${obj.kind}: register the kind first`)
    void version
    const store = deps.storage.storeFor(def)
    const ns = def.namespaced ? (obj.metadata?.namespace ?? 'default') : undefined
    try {
      await store.get(ns, obj.metadata!.name!)
      continue
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err
    }
    try {
      await store.create(ns, structuredClone(obj), ctx())
      created++
    } catch (err) {
      // another server of an HA pair created it first
      if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err
    }
  }
  if (created) log.info('bootstrap objects created', { created })
  return { created }
}

function splitApiVersion(apiVersion: string): [string, string] {
  const i = apiVersion.indexOf('/')
  return i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)]
}
