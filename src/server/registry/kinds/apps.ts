// apps/v1 workload controllers.
import type { ResourceDef } from '../types.ts'
import { builtin } from './builtin.ts'
import { scale } from './core.ts'

const apps = (kind: string, plural: string, opts?: Parameters<typeof builtin>[5]) =>
  builtin('apps', 'v1', kind, plural, true, opts)

export const appsDefs = (): ResourceDef[] => [
  apps('Deployment', 'deployments', {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: { status: true, scale: scale() },
  }),
  apps('ReplicaSet', 'replicasets', {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: { status: true, scale: scale() },
    fieldSelectors: { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
  }),
  apps('StatefulSet', 'statefulsets', {
    shortNames: ['sts'],
    categories: ['all'],
    subresources: { status: true, scale: scale() },
  }),
  apps('DaemonSet', 'daemonsets', { shortNames: ['ds'], categories: ['all'], subresources: { status: true } }),
  apps('ControllerRevision', 'controllerrevisions'),
]
