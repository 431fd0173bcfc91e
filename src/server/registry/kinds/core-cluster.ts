// core/v1 cluster-scoped kinds: namespaces, nodes, persistent volumes.

import { componentStatusColumns, namespaceColumns, nodeColumns, pvColumns } from '../columns/cluster.ts'
import { namespaceDefaults, pvDefaults } from '../defaults/services.ts'
import type { ResourceDef } from '../types.ts'
import { validateNamespace } from '../validation/config.ts'
import { validatePv } from '../validation/others.ts'
import { builtin, NO_DELETECOLLECTION } from './builtin.ts'

export const coreClusterDefs = (): ResourceDef[] => [
  builtin('', 'v1', 'Namespace', 'namespaces', false, {
    shortNames: ['ns'],
    defaults: namespaceDefaults,
    columns: namespaceColumns,
    validate: validateNamespace,
    nameRule: 'label',
    verbs: NO_DELETECOLLECTION,
    subresources: { status: true, others: ['finalize'] },
    fieldSelectors: { 'status.phase': (o) => o.status?.phase ?? '' },
    generation: false,
  }),
  builtin('', 'v1', 'Node', 'nodes', false, {
    shortNames: ['no'],
    columns: nodeColumns,
    subresources: { status: true, others: ['proxy'] },
    fieldSelectors: { 'spec.unschedulable': (o) => String(!!o.spec?.unschedulable) },
    generation: false,
    storageResource: 'minions',
  }),
  builtin('', 'v1', 'PersistentVolume', 'persistentvolumes', false, {
    shortNames: ['pv'],
    defaults: pvDefaults,
    columns: pvColumns,
    validate: validatePv,
    subresources: { status: true },
    generation: false,
  }),
  // Deprecated upstream since 1.19 but still served (`kubectl get cs`): computed, never stored
  // (src/server/api/store/component-statuses.ts).
  builtin('', 'v1', 'ComponentStatus', 'componentstatuses', false, {
    shortNames: ['cs'],
    columns: componentStatusColumns,
    verbs: ['get', 'list'],
    generation: false,
  }),
]
