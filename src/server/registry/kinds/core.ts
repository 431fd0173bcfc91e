// core/v1 kinds users touch daily (workloads, config, networking). Cluster-level core kinds: core-cluster.ts.

import {
  configMapColumns,
  eventColumns,
  pvcColumns,
  resourceQuotaColumns,
  secretColumns,
  serviceAccountColumns,
} from '../columns/cluster.ts'
import { endpointsColumns, serviceColumns } from '../columns/network.ts'
import { podColumns } from '../columns/pod.ts'
import { podTemplateColumns, replicationControllerColumns } from '../columns/workloads.ts'
import { podDefaults } from '../defaults/pod.ts'
import { endpointsDefaults, pvcDefaults, secretDefaults, serviceDefaults } from '../defaults/services.ts'
import { podTemplateDefaults, replicationControllerDefaults } from '../defaults/workloads.ts'
import type { ResourceDef } from '../types.ts'
import { validateConfigMap, validateSecret } from '../validation/config.ts'
import { validatePvc } from '../validation/others.ts'
import { validatePod, validatePodTemplate } from '../validation/pod.ts'
import { validateService } from '../validation/service.ts'
import { validateReplicationController } from '../validation/workloads.ts'
import { builtin } from './builtin.ts'

const v1 = (kind: string, plural: string, namespaced: boolean, opts?: Parameters<typeof builtin>[5]) =>
  builtin('', 'v1', kind, plural, namespaced, opts)

export const coreDefs = (): ResourceDef[] => [
  v1('Pod', 'pods', true, {
    shortNames: ['po'],
    defaults: podDefaults,
    columns: podColumns,
    validate: validatePod,
    categories: ['all'],
    subresources: {
      status: true,
      others: ['attach', 'binding', 'ephemeralcontainers', 'eviction', 'exec', 'log', 'portforward', 'proxy'],
    },
    fieldSelectors: {
      'spec.nodeName': (o) => o.spec?.nodeName ?? '',
      'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? '',
      'spec.schedulerName': (o) => o.spec?.schedulerName ?? '',
      'spec.serviceAccountName': (o) => o.spec?.serviceAccountName ?? '',
      'spec.hostNetwork': (o) => String(!!o.spec?.hostNetwork),
      'status.phase': (o) => o.status?.phase ?? '',
      'status.podIP': (o) => o.status?.podIP ?? '',
      'status.nominatedNodeName': (o) => o.status?.nominatedNodeName ?? '',
    },
    generation: true,
  }),
  v1('PodTemplate', 'podtemplates', true, {
    defaults: podTemplateDefaults,
    validate: validatePodTemplate,
    columns: podTemplateColumns,
  }),
  v1('ReplicationController', 'replicationcontrollers', true, {
    shortNames: ['rc'],
    defaults: replicationControllerDefaults,
    columns: replicationControllerColumns,
    validate: validateReplicationController,
    categories: ['all'],
    subresources: { status: true, scale: scale() },
    fieldSelectors: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  }),
  v1('Service', 'services', true, {
    shortNames: ['svc'],
    defaults: serviceDefaults,
    columns: serviceColumns,
    validate: validateService,
    categories: ['all'],
    // Service names become DNS labels (and env var prefixes): DNS-1035, starting with a letter.
    nameRule: 'dns1035',
    subresources: { status: true, others: ['proxy'] },
    storageResource: 'services/specs',
    generation: false,
  }),
  v1('Endpoints', 'endpoints', true, {
    shortNames: ['ep'],
    singular: 'endpoints',
    defaults: endpointsDefaults,
    columns: endpointsColumns,
  }),
  v1('ConfigMap', 'configmaps', true, { shortNames: ['cm'], validate: validateConfigMap, columns: configMapColumns }),
  v1('Secret', 'secrets', true, {
    defaults: secretDefaults,
    columns: secretColumns,
    validate: validateSecret,
    fieldSelectors: { type: (o) => o.type ?? '' },
  }),
  v1('ServiceAccount', 'serviceaccounts', true, {
    shortNames: ['sa'],
    subresources: { others: ['token'] },
    columns: serviceAccountColumns,
  }),
  v1('Event', 'events', true, {
    shortNames: ['ev'],
    columns: eventColumns,
    nameRule: 'none',
    fieldSelectors: {
      'involvedObject.kind': (o) => o.involvedObject?.kind ?? '',
      'involvedObject.namespace': (o) => o.involvedObject?.namespace ?? '',
      'involvedObject.name': (o) => o.involvedObject?.name ?? '',
      'involvedObject.uid': (o) => o.involvedObject?.uid ?? '',
      'involvedObject.apiVersion': (o) => o.involvedObject?.apiVersion ?? '',
      'involvedObject.resourceVersion': (o) => o.involvedObject?.resourceVersion ?? '',
      'involvedObject.fieldPath': (o) => o.involvedObject?.fieldPath ?? '',
      reason: (o) => o.reason ?? '',
      reportingComponent: (o) => o.reportingComponent ?? '',
      source: (o) => o.source?.component || o.reportingComponent || '',
      type: (o) => o.type ?? '',
    },
  }),
  v1('PersistentVolumeClaim', 'persistentvolumeclaims', true, {
    shortNames: ['pvc'],
    defaults: pvcDefaults,
    columns: pvcColumns,
    validate: validatePvc,
    subresources: { status: true },
    generation: false,
  }),
  v1('ResourceQuota', 'resourcequotas', true, {
    shortNames: ['quota'],
    subresources: { status: true },
    columns: resourceQuotaColumns,
  }),
  v1('LimitRange', 'limitranges', true, { shortNames: ['limits'] }),
  // Binding is only created through pods/binding or POST .../bindings (create-only).
  v1('Binding', 'bindings', true, { verbs: ['create'] }),
]

/** `/scale` as the workload controllers expose it (autoscaling/v1 Scale). */
export function scale(withSelector = true) {
  return {
    specReplicasPath: '.spec.replicas',
    statusReplicasPath: '.status.replicas',
    ...(withSelector ? { labelSelectorPath: '.status.selector' } : {}),
  }
}
