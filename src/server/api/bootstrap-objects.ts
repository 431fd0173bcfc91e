// Objects every cluster starts with, as kube-apiserver's bootstrap controllers create them: the
// namespaces default, kube-system, kube-public and kube-node-lease, and the `kubernetes` Service at the
// first IP of the service CIDR (its Endpoints point at this server). Created when missing, never overwritten.
import { logger } from '../../shared/log.ts'
import type { Registry } from '../registry/index.ts'
import type { KubeObject, ResourceDef } from '../registry/types.ts'
import { firstServiceIp } from '../tls/index.ts'
import type { ResourceStore } from './store/types.ts'

const log = logger('bootstrap')
const SYSTEM = { name: 'system:kube-apiserver', groups: ['system:masters'] }

export function bootstrapObjects(o: { serviceCidr: string; port: number; advertiseAddress?: string }): KubeObject[] {
  const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })
  const labels = { component: 'apiserver', provider: 'kubernetes' }
  return [
    ns('default'),
    ns('kube-system'),
    ns('kube-public'),
    ns('kube-node-lease'),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels },
      spec: {
        type: 'ClusterIP',
        clusterIP: firstServiceIp(o.serviceCidr),
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: o.port }],
        sessionAffinity: 'None',
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      },
      subsets: [
        {
          addresses: [{ ip: o.advertiseAddress ?? '127.0.0.1' }],
          ports: [{ name: 'https', port: o.port, protocol: 'TCP' }],
        },
      ],
    },
  ]
}

function defOf(registry: Registry, obj: KubeObject): ResourceDef | undefined {
  const [group, version] = obj.apiVersion!.includes('/') ? obj.apiVersion!.split('/') : ['', obj.apiVersion!]
  return registry.all().find((d) => d.group === group && d.version === version && d.kind === obj.kind)
}

/** Creates each object unless it exists (409 AlreadyExists is success). */
export async function ensureObjects(
  registry: Registry,
  storage: { storeFor(def: ResourceDef): ResourceStore },
  objects: KubeObject[],
): Promise<void> {
  for (const obj of objects) {
    const def = defOf(registry, obj)
    if (!def) {
      log.warn('no resource for bootstrap object', { apiVersion: obj.apiVersion, kind: obj.kind })
      continue
    }
    try {
      await storage.storeFor(def).create(obj.metadata?.namespace, structuredClone(obj), { user: SYSTEM, warnings: [] })
    } catch (err: any) {
      if (err?.code !== 409) throw new Error(`creating ${def.plural} ${obj.metadata?.name}: ${err?.message ?? err}`)
    }
  }
}
