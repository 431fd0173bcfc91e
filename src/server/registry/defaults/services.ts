// Service, Namespace, Secret and the smaller kinds' defaulting (pkg/apis/core/v1/defaults.go and friends).
import type { KubeObject } from '../types.ts'
import { setDefault } from './set-default.ts'

export function serviceDefaults(obj: KubeObject) {
  const spec = (obj.spec ??= {})
  setDefault(spec, 'type', 'ClusterIP')
  setDefault(spec, 'sessionAffinity', 'None')
  if (spec.sessionAffinity === 'ClientIP') {
    spec.sessionAffinityConfig ??= {}
    spec.sessionAffinityConfig.clientIP ??= {}
    setDefault(spec.sessionAffinityConfig.clientIP, 'timeoutSeconds', 10800)
  }
  for (const p of spec.ports ?? []) {
    setDefault(p, 'protocol', 'TCP')
    setDefault(p, 'targetPort', p.port)
  }
  if (spec.type !== 'ExternalName') {
    setDefault(spec, 'internalTrafficPolicy', 'Cluster')
    // ipFamilies follow the allocated clusterIPs; kubun is single-stack IPv4.
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack')
    setDefault(spec, 'ipFamilies', ['IPv4'])
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') setDefault(spec, 'externalTrafficPolicy', 'Cluster')
  if (spec.type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true)
  // The clusterIPs list mirrors clusterIP.
  if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP]
  obj.status ??= {}
  setDefault(obj.status, 'loadBalancer', {})
}

export function namespaceDefaults(obj: KubeObject) {
  obj.spec ??= {}
  setDefault(obj.spec, 'finalizers', ['kubernetes'])
  obj.status ??= {}
  setDefault(obj.status, 'phase', 'Active')
  // Upstream labels every namespace with its own name (NamespaceDefaultLabelName).
  const name = obj.metadata?.name
  if (name) {
    obj.metadata!.labels ??= {}
    obj.metadata!.labels['kubernetes.io/metadata.name'] = name
  }
}

/** Secret: type Opaque; stringData is write-only and merged into data (base64), as upstream's conversion does. */
export function secretDefaults(obj: KubeObject) {
  setDefault(obj, 'type', 'Opaque')
  if (obj.stringData) {
    obj.data ??= {}
    for (const [k, v] of Object.entries(obj.stringData)) obj.data[k] = Buffer.from(String(v), 'utf8').toString('base64')
    delete obj.stringData
  }
}

export function pvcDefaults(obj: KubeObject) {
  obj.spec ??= {}
  setDefault(obj.spec, 'volumeMode', 'Filesystem')
  obj.status ??= {}
  setDefault(obj.status, 'phase', 'Pending')
}

export function pvDefaults(obj: KubeObject) {
  obj.spec ??= {}
  setDefault(obj.spec, 'persistentVolumeReclaimPolicy', 'Retain')
  setDefault(obj.spec, 'volumeMode', 'Filesystem')
  obj.status ??= {}
  setDefault(obj.status, 'phase', 'Pending')
}

export function endpointsDefaults(obj: KubeObject) {
  for (const s of obj.subsets ?? []) for (const p of s.ports ?? []) setDefault(p, 'protocol', 'TCP')
}

export function endpointSliceDefaults(obj: KubeObject) {
  for (const p of obj.ports ?? []) setDefault(p, 'protocol', 'TCP')
}

export function networkPolicyDefaults(obj: KubeObject) {
  const spec = (obj.spec ??= {})
  for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])])
    for (const p of rule.ports ?? []) setDefault(p, 'protocol', 'TCP')
  if (!spec.policyTypes?.length) spec.policyTypes = spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress']
}

export function storageClassDefaults(obj: KubeObject) {
  setDefault(obj, 'reclaimPolicy', 'Delete')
  setDefault(obj, 'volumeBindingMode', 'Immediate')
}

export function priorityClassDefaults(obj: KubeObject) {
  setDefault(obj, 'preemptionPolicy', 'PreemptLowerPriority')
}

export function hpaDefaults(obj: KubeObject) {
  obj.spec ??= {}
  setDefault(obj.spec, 'minReplicas', 1)
}

export function roleBindingDefaults(obj: KubeObject) {
  for (const s of obj.subjects ?? [])
    if ((s.kind === 'User' || s.kind === 'Group') && !s.apiGroup) s.apiGroup = 'rbac.authorization.k8s.io'
}
