// apps/v1 workload controllers.

import {
  controllerRevisionColumns,
  daemonSetColumns,
  deploymentColumns,
  replicaSetColumns,
  statefulSetColumns,
} from '../columns/workloads.ts'
import {
  daemonSetDefaults,
  deploymentDefaults,
  replicaSetDefaults,
  statefulSetDefaults,
} from '../defaults/workloads.ts'
import type { ResourceDef } from '../types.ts'
import {
  validateDaemonSet,
  validateDeployment,
  validateReplicaSet,
  validateStatefulSet,
} from '../validation/workloads.ts'
import { builtin } from './builtin.ts'
import { scale } from './core.ts'

const apps = (kind: string, plural: string, opts?: Parameters<typeof builtin>[5]) =>
  builtin('apps', 'v1', kind, plural, true, opts)

export const appsDefs = (): ResourceDef[] => [
  apps('Deployment', 'deployments', {
    shortNames: ['deploy'],
    defaults: deploymentDefaults,
    columns: deploymentColumns,
    validate: validateDeployment,
    categories: ['all'],
    subresources: { status: true, scale: scale() },
  }),
  apps('ReplicaSet', 'replicasets', {
    shortNames: ['rs'],
    defaults: replicaSetDefaults,
    columns: replicaSetColumns,
    validate: validateReplicaSet,
    categories: ['all'],
    subresources: { status: true, scale: scale() },
    fieldSelectors: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  }),
  apps('StatefulSet', 'statefulsets', {
    shortNames: ['sts'],
    defaults: statefulSetDefaults,
    columns: statefulSetColumns,
    validate: validateStatefulSet,
    categories: ['all'],
    subresources: { status: true, scale: scale() },
  }),
  apps('DaemonSet', 'daemonsets', {
    shortNames: ['ds'],
    categories: ['all'],
    subresources: { status: true },
    defaults: daemonSetDefaults,
    columns: daemonSetColumns,
    validate: validateDaemonSet,
  }),
  apps('ControllerRevision', 'controllerrevisions', { columns: controllerRevisionColumns }),
]
