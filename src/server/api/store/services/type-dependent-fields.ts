// Switching a Service's type drops the fields the old type had filled in and the new one refuses, as
// upstream's dropTypeDependentFields (pkg/registry/core/service/strategy.go): only values the user left
// as they were (so defaulted or allocated ones), never a change the user asked for.
import type { KubeObject } from '../../../registry/types.ts'
import { deepEqual } from '../../patch/json-value.ts'

const type = (s: KubeObject) => s.spec?.type ?? 'ClusterIP'
const needsClusterIp = (s: KubeObject) => type(s) !== 'ExternalName'
const needsNodePort = (s: KubeObject) => type(s) === 'NodePort' || type(s) === 'LoadBalancer'
const externallyAccessible = (s: KubeObject) =>
  needsNodePort(s) || (type(s) === 'ClusterIP' && (s.spec?.externalIPs?.length ?? 0) > 0)

const same = (a: KubeObject, b: KubeObject, field: string) =>
  deepEqual(a.spec?.[field] ?? null, b.spec?.[field] ?? null)

/** Mutates `obj` (the update) against `old` (the live Service). */
export function dropTypeDependentFields(obj: KubeObject, old: KubeObject): void {
  const spec = obj.spec
  if (!spec) return
  if (needsClusterIp(old) && !needsClusterIp(obj)) {
    if (same(obj, old, 'clusterIP') && same(obj, old, 'clusterIPs')) {
      delete spec.clusterIP
      delete spec.clusterIPs
    }
    if (same(obj, old, 'ipFamilies')) delete spec.ipFamilies
    if (same(obj, old, 'ipFamilyPolicy')) delete spec.ipFamilyPolicy
  }
  if (needsNodePort(old) && !needsNodePort(obj)) {
    const oldPorts = (old.spec?.ports ?? []).map((p: { nodePort?: number }) => p.nodePort ?? 0)
    const newPorts = (spec.ports ?? []).map((p: { nodePort?: number }) => p.nodePort ?? 0)
    if (deepEqual(oldPorts, newPorts)) for (const p of spec.ports ?? []) delete p.nodePort
    if (same(obj, old, 'healthCheckNodePort')) delete spec.healthCheckNodePort
  }
  if (type(old) === 'LoadBalancer' && type(obj) !== 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts != null && same(obj, old, 'allocateLoadBalancerNodePorts'))
      delete spec.allocateLoadBalancerNodePorts
    if (same(obj, old, 'loadBalancerClass')) delete spec.loadBalancerClass
  }
  if (externallyAccessible(old) && !externallyAccessible(obj) && same(obj, old, 'externalTrafficPolicy'))
    delete spec.externalTrafficPolicy
}
