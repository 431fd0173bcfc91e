// An RbacSource over a fixed list of objects: for tests, and for checking the bootstrap policy alone.
import type { KubeObject } from '../registry/types.ts'
import type { RbacSource } from './types.ts'

export function staticRbacSource(objects: KubeObject[]): RbacSource {
  const of = (kind: string, ns?: string) =>
    objects.filter((o) => o.kind === kind && (ns === undefined || o.metadata?.namespace === ns))
  return {
    roles: (ns) => of('Role', ns),
    roleBindings: (ns) => of('RoleBinding', ns),
    clusterRoles: () => of('ClusterRole'),
    clusterRoleBindings: () => of('ClusterRoleBinding'),
  }
}
