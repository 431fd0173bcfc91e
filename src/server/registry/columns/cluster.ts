// Printers for nodes, namespaces, config, events, storage, RBAC, scheduling, policy and autoscaling kinds.
import type { Column, KubeObject } from '../types.ts'
import { createdAt, int, since } from './format.ts'
import { age } from './network.ts'

export function nodeStatus(o: KubeObject): string {
  const ready = (o.status?.conditions ?? []).find((c: any) => c.type === 'Ready')
  const s = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown']
  if (o.spec?.unschedulable) s.push('SchedulingDisabled')
  return s.join(',')
}

export function nodeRoles(o: KubeObject): string {
  const roles = new Set<string>()
  for (const [k, v] of Object.entries<string>(o.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const r = k.slice('node-role.kubernetes.io/'.length)
      if (r) roles.add(r)
    } else if (k === 'kubernetes.io/role' && v) roles.add(v)
  }
  return roles.size ? [...roles].sort().join(',') : '<none>'
}

const address = (o: KubeObject, type: string) =>
  (o.status?.addresses ?? []).find((a: any) => a.type === type)?.address || '<none>'
const unknown = (v: unknown) => (v ? String(v) : '<unknown>')

export const nodeColumns: Column[] = [
  { name: 'Status', type: 'string', description: 'The status of the node', get: nodeStatus },
  { name: 'Roles', type: 'string', description: 'The roles of the node', get: nodeRoles },
  age,
  {
    name: 'Version',
    type: 'string',
    description: 'Kubelet Version reported by the node.',
    get: (o) => o.status?.nodeInfo?.kubeletVersion ?? '',
  },
  {
    name: 'Internal-IP',
    type: 'string',
    priority: 1,
    description: 'List of addresses reachable to the node. Queried from cloud provider, if available.',
    get: (o) => address(o, 'InternalIP'),
  },
  {
    name: 'External-IP',
    type: 'string',
    priority: 1,
    description: 'List of addresses reachable to the node. Queried from cloud provider, if available.',
    get: (o) => address(o, 'ExternalIP'),
  },
  {
    name: 'OS-Image',
    type: 'string',
    priority: 1,
    description: 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
    get: (o) => unknown(o.status?.nodeInfo?.osImage),
  },
  {
    name: 'Kernel-Version',
    type: 'string',
    priority: 1,
    description: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
    get: (o) => unknown(o.status?.nodeInfo?.kernelVersion),
  },
  {
    name: 'Container-Runtime',
    type: 'string',
    priority: 1,
    description: 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
    get: (o) => unknown(o.status?.nodeInfo?.containerRuntimeVersion),
  },
]

export const namespaceColumns: Column[] = [
  { name: 'Status', type: 'string', description: 'The status of the namespace', get: (o) => o.status?.phase ?? '' },
  age,
]

export const configMapColumns: Column[] = [
  {
    name: 'Data',
    type: 'string',
    description: 'Data contains the configuration data.',
    get: (o) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length,
  },
  age,
]

export const secretColumns: Column[] = [
  {
    name: 'Type',
    type: 'string',
    description: 'Used to facilitate programmatic handling of secret data.',
    get: (o) => o.type ?? '',
  },
  {
    name: 'Data',
    type: 'string',
    description: 'Data contains the secret data.',
    get: (o) => Object.keys(o.data ?? {}).length,
  },
  age,
]

export const serviceAccountColumns: Column[] = [
  {
    name: 'Secrets',
    type: 'string',
    description:
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
    get: (o) => (o.secrets ?? []).length,
  },
  age,
]

// Events (core/v1 and events.k8s.io/v1 share the printer). The first column is LAST SEEN, NAME comes last (wide).
const eventTimes = (o: KubeObject, now?: number) => {
  const first =
    o.firstTimestamp || o.deprecatedFirstTimestamp
      ? since(o.firstTimestamp || o.deprecatedFirstTimestamp, now)
      : since(o.eventTime, now)
  let last =
    o.lastTimestamp || o.deprecatedLastTimestamp ? since(o.lastTimestamp || o.deprecatedLastTimestamp, now) : first
  let count = o.count ?? o.deprecatedCount ?? 0
  if (o.series) {
    last = since(o.series.lastObservedTime, now)
    count = o.series.count ?? count
  } else if (!count) count = 1
  return { first, last, count }
}
const involved = (o: KubeObject) => o.involvedObject ?? o.regarding ?? {}

export const eventColumns: Column[] = [
  {
    name: 'Last Seen',
    type: 'string',
    description: 'Time when last this event was seen',
    get: (o, now) => eventTimes(o, now).last,
  },
  {
    name: 'Type',
    type: 'string',
    description: 'Type of this event (Normal, Warning), new types could be added in the future.',
    get: (o) => o.type ?? '',
  },
  {
    name: 'Reason',
    type: 'string',
    description:
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    get: (o) => o.reason ?? '',
  },
  {
    name: 'Object',
    type: 'string',
    description: 'The object that this event is about.',
    get: (o) => {
      const io = involved(o)
      const kind = String(io.kind ?? '').toLowerCase()
      return io.name ? `${kind}/${io.name}` : kind
    },
  },
  {
    name: 'Subobject',
    type: 'string',
    priority: 1,
    description: 'The specific sub-object this event is about.',
    get: (o) => involved(o).fieldPath ?? '',
  },
  {
    name: 'Source',
    type: 'string',
    priority: 1,
    description: 'The component reporting this event.',
    get: (o) => {
      if (o.source?.component) return o.source.host ? `${o.source.component}, ${o.source.host}` : o.source.component
      const ctl = o.reportingComponent || o.reportingController || ''
      const inst = o.reportingInstance || ''
      return inst ? `${ctl}, ${inst}` : ctl
    },
  },
  {
    name: 'Message',
    type: 'string',
    description: 'A human-readable description of the status of this operation.',
    get: (o) => String(o.message ?? o.note ?? '').trim(),
  },
  {
    name: 'First Seen',
    type: 'string',
    priority: 1,
    description: 'The time at which the event was first recorded.',
    get: (o, now) => eventTimes(o, now).first,
  },
  {
    name: 'Count',
    type: 'string',
    priority: 1,
    description: 'The number of times this event has occurred.',
    get: (o) => eventTimes(o).count,
  },
  {
    name: 'Name',
    type: 'string',
    format: 'name',
    priority: 1,
    description: 'Name must be unique within a namespace.',
    get: (o) => o.metadata?.name ?? '',
  },
]

const ACCESS: Record<string, string> = {
  ReadWriteOnce: 'RWO',
  ReadOnlyMany: 'ROX',
  ReadWriteMany: 'RWX',
  ReadWriteOncePod: 'RWOP',
}
const accessModes = (modes: string[] | undefined) =>
  ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod']
    .filter((m) => modes?.includes(m))
    .map((m) => ACCESS[m])
    .join(',')
const storageClassOf = (o: KubeObject) =>
  o.spec?.storageClassName ?? o.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? ''

export const pvColumns: Column[] = [
  {
    name: 'Capacity',
    type: 'string',
    description: "capacity is the description of the persistent volume's resources and capacity.",
    get: (o) => String(o.spec?.capacity?.storage ?? ''),
  },
  {
    name: 'Access Modes',
    type: 'string',
    description: 'accessModes contains all ways the volume can be mounted.',
    get: (o) => accessModes(o.spec?.accessModes),
  },
  {
    name: 'Reclaim Policy',
    type: 'string',
    description:
      'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.',
    get: (o) => o.spec?.persistentVolumeReclaimPolicy ?? '',
  },
  {
    name: 'Status',
    type: 'string',
    description: 'phase indicates if a volume is available, bound to a claim, or released by a claim.',
    get: (o) => (o.metadata?.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? '')),
  },
  {
    name: 'Claim',
    type: 'string',
    description: 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.',
    get: (o) => (o.spec?.claimRef ? `${o.spec.claimRef.namespace}/${o.spec.claimRef.name}` : ''),
  },
  {
    name: 'StorageClass',
    type: 'string',
    description: 'storageClassName is the name of StorageClass to which this persistent volume belongs.',
    get: storageClassOf,
  },
  {
    name: 'VolumeAttributesClass',
    type: 'string',
    description: 'Name of VolumeAttributesClass to which this persistent volume belongs.',
    get: (o) => o.spec?.volumeAttributesClassName || '<unset>',
  },
  {
    name: 'Reason',
    type: 'string',
    description: 'reason is a brief CamelCase string that describes any failure.',
    get: (o) => o.status?.reason ?? '',
  },
  age,
  {
    name: 'VolumeMode',
    type: 'string',
    priority: 1,
    description:
      'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.',
    get: (o) => o.spec?.volumeMode ?? '',
  },
]

export const pvcColumns: Column[] = [
  {
    name: 'Status',
    type: 'string',
    description: 'phase represents the current phase of PersistentVolumeClaim.',
    get: (o) => (o.metadata?.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? '')),
  },
  {
    name: 'Volume',
    type: 'string',
    description: 'volumeName is the binding reference to the PersistentVolume backing this claim.',
    get: (o) => o.spec?.volumeName ?? '',
  },
  {
    name: 'Capacity',
    type: 'string',
    description: 'capacity represents the actual resources of the underlying volume.',
    get: (o) => (o.spec?.volumeName ? String(o.status?.capacity?.storage ?? '') : ''),
  },
  {
    name: 'Access Modes',
    type: 'string',
    description: 'accessModes contains the actual access modes the volume backing the PVC has.',
    get: (o) => (o.spec?.volumeName ? accessModes(o.status?.accessModes) : ''),
  },
  {
    name: 'StorageClass',
    type: 'string',
    description: 'storageClassName is the name of the StorageClass required by the claim.',
    get: storageClassOf,
  },
  {
    name: 'VolumeAttributesClass',
    type: 'string',
    description: 'volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim.',
    get: (o) => o.spec?.volumeAttributesClassName || '<unset>',
  },
  age,
  {
    name: 'VolumeMode',
    type: 'string',
    priority: 1,
    description: 'volumeMode defines what type of volume is required by the claim.',
    get: (o) => o.spec?.volumeMode ?? '',
  },
]

export const storageClassColumns: Column[] = [
  {
    name: 'Name',
    type: 'string',
    format: 'name',
    description: 'Name must be unique within a namespace.',
    get: (o) =>
      o.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true'
        ? `${o.metadata?.name} (default)`
        : (o.metadata?.name ?? ''),
  },
  {
    name: 'Provisioner',
    type: 'string',
    description: 'provisioner indicates the type of the provisioner.',
    get: (o) => o.provisioner ?? '',
  },
  {
    name: 'ReclaimPolicy',
    type: 'string',
    description:
      'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.',
    get: (o) => o.reclaimPolicy ?? 'Delete',
  },
  {
    name: 'VolumeBindingMode',
    type: 'string',
    description: 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.',
    get: (o) => o.volumeBindingMode ?? 'Immediate',
  },
  {
    name: 'AllowVolumeExpansion',
    type: 'string',
    description: 'allowVolumeExpansion shows whether the storage class allow volume expand.',
    get: (o) => !!o.allowVolumeExpansion,
  },
  age,
]

export const leaseColumns: Column[] = [
  {
    name: 'Holder',
    type: 'string',
    description: 'holderIdentity contains the identity of the holder of a current lease.',
    get: (o) => o.spec?.holderIdentity ?? '',
  },
  age,
]

const subjects = (kind: string) => (o: KubeObject) =>
  (o.subjects ?? [])
    .filter((s: any) => s.kind === kind)
    .map((s: any) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name))
    .join(', ')

export const roleColumns: Column[] = [createdAt]
export const roleBindingColumns: Column[] = [
  {
    name: 'Role',
    type: 'string',
    description: 'Role references the Role being bound to.',
    get: (o) => `${o.roleRef?.kind ?? ''}/${o.roleRef?.name ?? ''}`,
  },
  age,
  { name: 'Users', type: 'string', priority: 1, description: 'Users in the binding', get: subjects('User') },
  { name: 'Groups', type: 'string', priority: 1, description: 'Groups in the binding', get: subjects('Group') },
  {
    name: 'ServiceAccounts',
    type: 'string',
    priority: 1,
    description: 'ServiceAccounts in the binding',
    get: subjects('ServiceAccount'),
  },
]

export const priorityClassColumns: Column[] = [
  {
    name: 'Value',
    type: 'integer',
    description: 'value represents the integer value of this priority class.',
    get: (o) => int(o.value),
  },
  {
    name: 'Global-Default',
    type: 'boolean',
    description: 'globalDefault specifies whether this PriorityClass should be considered as the default priority.',
    get: (o) => !!o.globalDefault,
  },
  age,
  {
    name: 'PreemptionPolicy',
    type: 'string',
    description: 'preemptionPolicy is the Policy for preempting pods with lower priority.',
    get: (o) => o.preemptionPolicy ?? 'PreemptLowerPriority',
  },
]

export const pdbColumns: Column[] = [
  {
    name: 'Min Available',
    type: 'string',
    description: 'The minimum number of pods that must be available simultaneously.',
    get: (o) => (o.spec?.minAvailable != null ? String(o.spec.minAvailable) : 'N/A'),
  },
  {
    name: 'Max Unavailable',
    type: 'string',
    description: 'The maximum number of pods that may be unavailable simultaneously.',
    get: (o) => (o.spec?.maxUnavailable != null ? String(o.spec.maxUnavailable) : 'N/A'),
  },
  {
    name: 'Allowed Disruptions',
    type: 'integer',
    description: 'Calculated number of pods that may be disrupted at this time.',
    get: (o) => int(o.status?.disruptionsAllowed),
  },
  age,
]

/** formatHPAMetrics for the common Resource metrics (v2) and targetCPUUtilizationPercentage (v1). */
function hpaTargets(o: KubeObject): string {
  const spec = o.spec ?? {}
  if (spec.targetCPUUtilizationPercentage != null || (!spec.metrics && o.apiVersion === 'autoscaling/v1')) {
    const cur = o.status?.currentCPUUtilizationPercentage
    return `cpu: ${cur != null ? `${cur}%` : '<unknown>'}/${spec.targetCPUUtilizationPercentage ?? 80}%`
  }
  const metrics: any[] = spec.metrics ?? []
  if (!metrics.length) return '<none>'
  const current: any[] = o.status?.currentMetrics ?? []
  const parts = metrics.map((m, i) => {
    if (m.type === 'Resource' && m.resource) {
      const t = m.resource.target ?? {}
      const c = current[i]?.resource?.current ?? {}
      if (t.averageUtilization != null)
        return `${m.resource.name}: ${c.averageUtilization != null ? `${c.averageUtilization}%` : '<unknown>'}/${t.averageUtilization}%`
      return `${m.resource.name}: ${c.averageValue ?? '<unknown>'}/${t.averageValue ?? t.value ?? '<unknown>'}`
    }
    return `<unknown>/<unknown>`
  })
  return parts.length > 2 ? `${parts.slice(0, 2).join(', ')} + ${parts.length - 2} more...` : parts.join(', ')
}

export const hpaColumns: Column[] = [
  {
    name: 'Reference',
    type: 'string',
    description: 'Reference to the scaled resource.',
    get: (o) => `${o.spec?.scaleTargetRef?.kind ?? ''}/${o.spec?.scaleTargetRef?.name ?? ''}`,
  },
  { name: 'Targets', type: 'string', description: 'The current and target metric values.', get: hpaTargets },
  {
    name: 'MinPods',
    type: 'string',
    description: 'Lower limit for the number of pods.',
    get: (o) => (o.spec?.minReplicas != null ? String(o.spec.minReplicas) : '<unset>'),
  },
  {
    name: 'MaxPods',
    type: 'integer',
    description: 'Upper limit for the number of pods.',
    get: (o) => int(o.spec?.maxReplicas),
  },
  {
    name: 'Replicas',
    type: 'integer',
    description: 'Current number of replicas of pods managed by this autoscaler.',
    get: (o) => int(o.status?.currentReplicas),
  },
  age,
]

export const csiDriverColumns: Column[] = [
  {
    name: 'AttachRequired',
    type: 'boolean',
    description: 'Whether the driver requires attach.',
    get: (o) => o.spec?.attachRequired ?? true,
  },
  {
    name: 'PodInfoOnMount',
    type: 'boolean',
    description: 'Whether pod info is passed on mount.',
    get: (o) => !!o.spec?.podInfoOnMount,
  },
  age,
]

// As upstream's printResourceQuota: `resource: used/hard` per hard limit, sorted by name; `limits.*`
// go to the Limit column, everything else (requests.*, cpu, pods, count/...) to Request.
function quotaUsage(o: KubeObject, limits: boolean): string {
  const hard: Record<string, string> = o.status?.hard ?? {}
  const used: Record<string, string> = o.status?.used ?? {}
  return Object.keys(hard)
    .sort()
    .filter((r) => (r.split('.').length > 1 && r.split('.')[0] === 'limits') === limits)
    .map((r) => `${r}: ${used[r] ?? '0'}/${hard[r]}`)
    .join(', ')
}

export const resourceQuotaColumns: Column[] = [
  age,
  {
    name: 'Request',
    type: 'string',
    description: 'Request represents a minimum amount of cpu/memory that a container may consume.',
    get: (o) => quotaUsage(o, false),
  },
  {
    name: 'Limit',
    type: 'string',
    description:
      'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
    get: (o) => quotaUsage(o, true),
  },
]
export { createdAt }

const healthy = (o: KubeObject) => (o.conditions ?? []).find((c: any) => c.type === 'Healthy')

/** As upstream's printComponentStatus: NAME, STATUS, MESSAGE, ERROR (no AGE). */
export const componentStatusColumns: Column[] = [
  {
    name: 'Name',
    type: 'string',
    format: 'name',
    description: 'Name must be unique within a namespace.',
    get: (o) => o.metadata?.name ?? '',
  },
  {
    name: 'Status',
    type: 'string',
    description: 'Status of the component conditions',
    get: (o) => {
      const c = healthy(o)
      return c ? (c.status === 'True' ? 'Healthy' : 'Unhealthy') : 'Unknown'
    },
  },
  {
    name: 'Message',
    type: 'string',
    description: 'Message of the component conditions',
    get: (o) => healthy(o)?.message ?? '',
  },
  {
    name: 'Error',
    type: 'string',
    description: 'Error of the component conditions',
    get: (o) => healthy(o)?.error ?? '',
  },
]
