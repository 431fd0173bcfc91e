// rbac.authorization.k8s.io/v1. Role names are path segments upstream (e.g. `system:controller:x`).

import { roleBindingColumns, roleColumns } from '../columns/cluster.ts'
import { roleBindingDefaults } from '../defaults/services.ts'
import type { ResourceDef } from '../types.ts'
import { validateRoleBinding } from '../validation/others.ts'
import { builtin } from './builtin.ts'

const rbac = (kind: string, plural: string, namespaced: boolean) =>
  builtin('rbac.authorization.k8s.io', 'v1', kind, plural, namespaced, {
    nameRule: 'path',
    ...(kind.endsWith('Binding')
      ? { defaults: roleBindingDefaults, columns: roleBindingColumns, validate: validateRoleBinding }
      : { columns: roleColumns }),
  })

export const rbacDefs = (): ResourceDef[] => [
  rbac('Role', 'roles', true),
  rbac('RoleBinding', 'rolebindings', true),
  rbac('ClusterRole', 'clusterroles', false),
  rbac('ClusterRoleBinding', 'clusterrolebindings', false),
]
