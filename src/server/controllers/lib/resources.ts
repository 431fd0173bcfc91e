// The collections controllers read and write, named once.
import type { GroupResource } from './informer-factory.ts'

const core = (resource: string): GroupResource => ({ group: '', version: 'v1', resource })
const apps = (resource: string): GroupResource => ({ group: 'apps', version: 'v1', resource })

export const R = {
  pods: core('pods'),
  nodes: core('nodes'),
  namespaces: core('namespaces'),
  services: core('services'),
  endpoints: core('endpoints'),
  events: core('events'),
  configmaps: core('configmaps'),
  serviceaccounts: core('serviceaccounts'),
  pvcs: core('persistentvolumeclaims'),
  pvs: core('persistentvolumes'),
  replicationcontrollers: core('replicationcontrollers'),
  resourcequotas: core('resourcequotas'),
  limitranges: core('limitranges'),
  replicasets: apps('replicasets'),
  deployments: apps('deployments'),
  statefulsets: apps('statefulsets'),
  daemonsets: apps('daemonsets'),
  controllerrevisions: apps('controllerrevisions'),
  jobs: { group: 'batch', version: 'v1', resource: 'jobs' },
  cronjobs: { group: 'batch', version: 'v1', resource: 'cronjobs' },
  endpointslices: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
  leases: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' },
  pdbs: { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' },
  hpas: { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' },
} satisfies Record<string, GroupResource>

/** A collection ref within a namespace (or cluster-wide when namespace is undefined). */
export const inNs = (r: GroupResource, namespace: string | undefined) => ({ ...r, namespace })
