// Storage keys as kube-apiserver lays them out in etcd, so `etcdctl get --prefix /registry/` shows what
// users expect: `/registry/<resource>/<namespace>/<name>` (cluster-scoped: `/registry/<resource>/<name>`).
import type { ResourceDef } from '../../registry/types.ts'

// Upstream resource prefixes that differ from the plural (pkg/registry/*/storage NewREST and
// the storage factory's resource overrides).
const upstreamPrefixes: Record<string, string> = {
  '/services': 'services/specs',
  '/endpoints': 'services/endpoints',
  '/nodes': 'minions',
  '/replicationcontrollers': 'controllers',
  'networking.k8s.io/ingresses': 'ingress',
  'events.k8s.io/events': 'events',
  'apiextensions.k8s.io/customresourcedefinitions': 'apiextensions.k8s.io/customresourcedefinitions',
  'apiregistration.k8s.io/apiservices': 'apiregistration.k8s.io/apiservices',
}

/** Built-in groups are stored under their plural alone; custom resources under `<group>/<plural>`. */
export function isBuiltinGroup(group: string): boolean {
  return group === '' || !group.includes('.') || group.endsWith('.k8s.io')
}

/** `/registry/<resource>/` — ends with '/', so `pods` never matches `podtemplates`. */
export function resourcePrefix(def: Pick<ResourceDef, 'group' | 'plural' | 'storageResource'>): string {
  const res =
    def.storageResource ??
    upstreamPrefixes[`${def.group}/${def.plural}`] ??
    (isBuiltinGroup(def.group) ? def.plural : `${def.group}/${def.plural}`)
  return `/registry/${res}/`
}

export function objectKey(prefix: string, namespace: string | undefined, name: string): string {
  return namespace ? `${prefix}${namespace}/${name}` : `${prefix}${name}`
}

/** The namespace part of a key under a namespaced prefix. */
export function namespaceOfKey(prefix: string, key: string): string {
  const rest = key.slice(prefix.length)
  const slash = rest.indexOf('/')
  return slash < 0 ? '' : rest.slice(0, slash)
}
