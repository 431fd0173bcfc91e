// Workload printers: deployments, replicasets, replicationcontrollers, statefulsets, daemonsets, jobs, cronjobs.
import type { Column, KubeObject } from '../types.ts'
import { containerColumns, formatLabels, formatSelector, humanDuration, int, selectorColumn, since } from './format.ts'

const age: Column = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  get: (o, now) => since(o.metadata?.creationTimestamp, now),
}
const tmpl = (o: KubeObject) => o.spec?.template
const sel = selectorColumn((o) => formatSelector(o.spec?.selector))

export const deploymentColumns: Column[] = [
  {
    name: 'Ready',
    type: 'string',
    description: 'Number of the pod with ready state',
    get: (o) => `${int(o.status?.readyReplicas)}/${o.spec?.replicas ?? 0}`,
  },
  {
    name: 'Up-to-date',
    type: 'integer',
    description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    get: (o) => int(o.status?.updatedReplicas),
  },
  {
    name: 'Available',
    type: 'integer',
    description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
    get: (o) => int(o.status?.availableReplicas),
  },
  age,
  ...containerColumns(tmpl),
  sel,
]

const replicaCounts: Column[] = [
  {
    name: 'Desired',
    type: 'integer',
    description: 'Replicas is the number of desired replicas.',
    get: (o) => int(o.spec?.replicas),
  },
  {
    name: 'Current',
    type: 'integer',
    description: 'Replicas is the most recently observed number of replicas.',
    get: (o) => int(o.status?.replicas),
  },
  {
    name: 'Ready',
    type: 'integer',
    description: 'The number of ready replicas for this replica set.',
    get: (o) => int(o.status?.readyReplicas),
  },
  age,
  ...containerColumns(tmpl),
]

export const replicaSetColumns: Column[] = [...replicaCounts, sel]
export const replicationControllerColumns: Column[] = [
  ...replicaCounts,
  selectorColumn((o) => formatLabels(o.spec?.selector)),
]

export const statefulSetColumns: Column[] = [
  {
    name: 'Ready',
    type: 'string',
    description: 'Number of the pod with ready state',
    get: (o) => `${int(o.status?.readyReplicas)}/${o.spec?.replicas ?? 0}`,
  },
  age,
  ...containerColumns(tmpl),
]

export const daemonSetColumns: Column[] = [
  {
    name: 'Desired',
    type: 'integer',
    description: 'The total number of nodes that should be running the daemon pod.',
    get: (o) => int(o.status?.desiredNumberScheduled),
  },
  {
    name: 'Current',
    type: 'integer',
    description: 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
    get: (o) => int(o.status?.currentNumberScheduled),
  },
  {
    name: 'Ready',
    type: 'integer',
    description:
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
    get: (o) => int(o.status?.numberReady),
  },
  {
    name: 'Up-to-date',
    type: 'integer',
    description: 'The total number of nodes that are running updated daemon pod',
    get: (o) => int(o.status?.updatedNumberScheduled),
  },
  {
    name: 'Available',
    type: 'integer',
    description:
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
    get: (o) => int(o.status?.numberAvailable),
  },
  {
    name: 'Node Selector',
    type: 'string',
    description: 'NodeSelector is a selector which must be true for the pod to fit on a node.',
    get: (o) => formatLabels(o.spec?.template?.spec?.nodeSelector),
  },
  age,
  ...containerColumns(tmpl),
  sel,
]

const hasCondition = (o: KubeObject, type: string) =>
  (o.status?.conditions ?? []).some((c: any) => c.type === type && c.status === 'True')

/** printJob's STATUS (kubectl 1.32+). */
export function jobStatus(o: KubeObject): string {
  if (hasCondition(o, 'Complete')) return 'Complete'
  if (hasCondition(o, 'Failed')) return 'Failed'
  if (o.metadata?.deletionTimestamp) return 'Terminating'
  if (hasCondition(o, 'Suspended')) return 'Suspended'
  if (hasCondition(o, 'FailureTarget')) return 'FailureTarget'
  if (hasCondition(o, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet'
  return 'Running'
}

export function jobCompletions(o: KubeObject): string {
  const done = int(o.status?.succeeded)
  if (o.spec?.completions != null) return `${done}/${o.spec.completions}`
  const p = o.spec?.parallelism
  return p != null && p > 1 ? `${done}/1 of ${p}` : `${done}/1`
}

export const jobColumns: Column[] = [
  { name: 'Status', type: 'string', description: 'Status of the job.', get: jobStatus },
  {
    name: 'Completions',
    type: 'string',
    description: 'The desired number of successfully finished pods the job should be run with.',
    get: jobCompletions,
  },
  {
    name: 'Duration',
    type: 'string',
    description: 'Time required to complete the job.',
    get: (o, now = Date.now()) => {
      const start = o.status?.startTime
      if (!start) return ''
      const end = o.status?.completionTime ? Date.parse(o.status.completionTime) : now
      return humanDuration(end - Date.parse(start))
    },
  },
  age,
  ...containerColumns(tmpl),
  sel,
]

const jobTmpl = (o: KubeObject) => o.spec?.jobTemplate?.spec?.template
export const cronJobColumns: Column[] = [
  {
    name: 'Schedule',
    type: 'string',
    description: 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.',
    get: (o) => o.spec?.schedule ?? '',
  },
  {
    name: 'Timezone',
    type: 'string',
    description:
      'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.',
    get: (o) => o.spec?.timeZone || '<none>',
  },
  {
    name: 'Suspend',
    type: 'boolean',
    description:
      'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.',
    get: (o) => (o.spec?.suspend ? 'True' : 'False'),
  },
  {
    name: 'Active',
    type: 'integer',
    description: 'A list of pointers to currently running jobs.',
    get: (o) => (o.status?.active ?? []).length,
  },
  {
    name: 'Last Schedule',
    type: 'string',
    description: 'Information when was the last time the job was successfully scheduled.',
    get: (o, now) => (o.status?.lastScheduleTime ? since(o.status.lastScheduleTime, now) : '<none>'),
  },
  age,
  ...containerColumns(jobTmpl),
  selectorColumn((o) => formatSelector(o.spec?.jobTemplate?.spec?.selector)),
]

export const podTemplateColumns: Column[] = [
  ...containerColumns((o) => o.template).map((c) => ({ ...c, priority: 0 })),
  {
    name: 'Pod Labels',
    type: 'string',
    description: 'Labels of the pod template.',
    get: (o) => formatLabels(o.template?.metadata?.labels),
  },
]

export const controllerRevisionColumns: Column[] = [
  {
    name: 'Controller',
    type: 'string',
    description: 'Controller of the object.',
    get: (o) => {
      const c = (o.metadata?.ownerReferences ?? []).find((r: any) => r.controller)
      if (!c) return '<none>'
      const group = String(c.apiVersion ?? '').includes('/') ? `.${String(c.apiVersion).split('/')[0]}` : ''
      return `${String(c.kind).toLowerCase()}${group}/${c.name}`
    },
  },
  {
    name: 'Revision',
    type: 'integer',
    description: 'Revision indicates the revision of the state represented by Data.',
    get: (o) => int(o.revision),
  },
  age,
]
