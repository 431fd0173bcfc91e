// Pod columns and the STATUS cell as kubectl shows it (pkg/printers/internalversion printPod).
import type { Column, KubeObject } from '../types.ts'
import { since } from './format.ts'

const isRestartableInit = (c: any) => c?.restartPolicy === 'Always'
const later = (a: string, b: string | undefined) => (b && (!a || Date.parse(b) > Date.parse(a)) ? b : a)

export interface PodSummary {
  ready: string
  status: string
  restarts: number
  lastRestart: string
}

export function podSummary(pod: KubeObject): PodSummary {
  const spec = pod.spec ?? {}
  const st = pod.status ?? {}
  let restarts = 0
  let restartableInitRestarts = 0
  let total = (spec.containers ?? []).length
  let ready = 0
  let lastRestart = ''
  let lastRestartableInit = ''
  let reason: string = st.reason || st.phase || ''
  for (const c of st.conditions ?? [])
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated'
  const inits = new Map<string, any>()
  for (const c of spec.initContainers ?? []) {
    inits.set(c.name, c)
    if (isRestartableInit(c)) total++
  }
  let initializing = false
  const initStatuses: any[] = st.initContainerStatuses ?? []
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]
    restarts += c.restartCount ?? 0
    lastRestart = later(lastRestart, c.lastState?.terminated?.finishedAt)
    if (isRestartableInit(inits.get(c.name))) {
      restartableInitRestarts += c.restartCount ?? 0
      lastRestartableInit = later(lastRestartableInit, c.lastState?.terminated?.finishedAt)
    }
    const term = c.state?.terminated
    if (term && (term.exitCode ?? 0) === 0) continue
    if (isRestartableInit(inits.get(c.name)) && c.started) {
      if (c.ready) ready++
      continue
    }
    if (term) {
      reason = term.reason
        ? `Init:${term.reason}`
        : term.signal
          ? `Init:Signal:${term.signal}`
          : `Init:ExitCode:${term.exitCode ?? 0}`
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${c.state.waiting.reason}`
    } else reason = `Init:${i}/${(spec.initContainers ?? []).length}`
    initializing = true
    break
  }
  const initialized = (st.conditions ?? []).some((c: any) => c.type === 'Initialized' && c.status === 'True')
  if (!initializing || initialized) {
    restarts = restartableInitRestarts
    lastRestart = lastRestartableInit
    let hasRunning = false
    const cs: any[] = st.containerStatuses ?? []
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i]
      restarts += c.restartCount ?? 0
      lastRestart = later(lastRestart, c.lastState?.terminated?.finishedAt)
      const s = c.state ?? {}
      if (s.waiting?.reason) reason = s.waiting.reason
      else if (s.terminated?.reason) reason = s.terminated.reason
      else if (s.terminated)
        reason = s.terminated.signal ? `Signal:${s.terminated.signal}` : `ExitCode:${s.terminated.exitCode ?? 0}`
      else if (c.ready && s.running) {
        hasRunning = true
        ready++
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const readyCond = (st.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True')
      reason = readyCond ? 'Running' : 'NotReady'
    }
  }
  const terminal = st.phase === 'Succeeded' || st.phase === 'Failed'
  if (pod.metadata?.deletionTimestamp && st.reason === 'NodeLost') reason = 'Unknown'
  else if (pod.metadata?.deletionTimestamp && !terminal) reason = 'Terminating'
  return { ready: `${ready}/${total}`, status: reason, restarts, lastRestart }
}

export const podColumns: Column[] = [
  {
    name: 'Ready',
    type: 'string',
    description: 'The aggregate readiness state of this pod for accepting traffic.',
    get: (o) => podSummary(o).ready,
  },
  {
    name: 'Status',
    type: 'string',
    description: 'The aggregate status of the containers in this pod.',
    get: (o) => podSummary(o).status,
  },
  {
    name: 'Restarts',
    type: 'string',
    description:
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    get: (o, now) => {
      const s = podSummary(o)
      return s.restarts !== 0 && s.lastRestart ? `${s.restarts} (${since(s.lastRestart, now)} ago)` : String(s.restarts)
    },
  },
  {
    name: 'Age',
    type: 'string',
    description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
    get: (o, now) => since(o.metadata?.creationTimestamp, now),
  },
  {
    name: 'IP',
    type: 'string',
    priority: 1,
    description: 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
    get: (o) => o.status?.podIPs?.[0]?.ip || o.status?.podIP || '<none>',
  },
  {
    name: 'Node',
    type: 'string',
    priority: 1,
    description: 'NodeName is a request to schedule this pod onto a specific node.',
    get: (o) => o.spec?.nodeName || '<none>',
  },
  {
    name: 'Nominated Node',
    type: 'string',
    priority: 1,
    description:
      'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.',
    get: (o) => o.status?.nominatedNodeName || '<none>',
  },
  {
    name: 'Readiness Gates',
    type: 'string',
    priority: 1,
    description: 'If specified, all readiness gates will be evaluated for pod readiness.',
    get: (o) => {
      const gates: any[] = o.spec?.readinessGates ?? []
      if (!gates.length) return '<none>'
      const conds: any[] = o.status?.conditions ?? []
      const ok = gates.filter((g) => conds.find((c) => c.type === g.conditionType)?.status === 'True').length
      return `${ok}/${gates.length}`
    },
  },
]
