// Smaller groups: coordination, events, storage, policy, autoscaling, scheduling.

import {
  csiDriverColumns,
  eventColumns,
  hpaColumns,
  leaseColumns,
  pdbColumns,
  priorityClassColumns,
  storageClassColumns,
} from '../columns/cluster.ts'
import { hpaDefaults, priorityClassDefaults, storageClassDefaults } from '../defaults/services.ts'
import type { ResourceDef } from '../types.ts'
import {
  validateHpa,
  validateLease,
  validatePdb,
  validatePriorityClass,
  validateStorageClass,
} from '../validation/others.ts'
import { builtin } from './builtin.ts'

export const clusterApiDefs = (): ResourceDef[] => [
  builtin('coordination.k8s.io', 'v1', 'Lease', 'leases', true, { columns: leaseColumns, validate: validateLease }),
  builtin('events.k8s.io', 'v1', 'Event', 'events', true, {
    shortNames: ['ev'],
    columns: eventColumns,
    nameRule: 'none',
    fieldSelectors: {
      'regarding.kind': (o) => o.regarding?.kind ?? '',
      'regarding.namespace': (o) => o.regarding?.namespace ?? '',
      'regarding.name': (o) => o.regarding?.name ?? '',
      'regarding.uid': (o) => o.regarding?.uid ?? '',
      reason: (o) => o.reason ?? '',
      reportingController: (o) => o.reportingController ?? '',
      type: (o) => o.type ?? '',
    },
  }),
  builtin('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false, {
    shortNames: ['sc'],
    defaults: storageClassDefaults,
    columns: storageClassColumns,
    validate: validateStorageClass,
  }),
  builtin('storage.k8s.io', 'v1', 'CSIDriver', 'csidrivers', false, { columns: csiDriverColumns }),
  builtin('storage.k8s.io', 'v1', 'CSINode', 'csinodes', false),
  builtin('storage.k8s.io', 'v1', 'VolumeAttachment', 'volumeattachments', false, { subresources: { status: true } }),
  builtin('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, {
    shortNames: ['pdb'],
    columns: pdbColumns,
    validate: validatePdb,
    subresources: { status: true },
  }),
  ...['v2', 'v1'].map((version) =>
    builtin('autoscaling', version, 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, {
      shortNames: ['hpa'],
      defaults: hpaDefaults,
      columns: hpaColumns,
      validate: validateHpa,
      categories: ['all'],
      subresources: { status: true },
    }),
  ),
  builtin('scheduling.k8s.io', 'v1', 'PriorityClass', 'priorityclasses', false, {
    shortNames: ['pc'],
    defaults: priorityClassDefaults,
    columns: priorityClassColumns,
    validate: validatePriorityClass,
  }),
]
