// The pod status the kubelet reports (pkg/kubelet/kubelet_pods.go generateAPIPodStatus + getPhase and
// pkg/kubelet/status): container statuses from the newest instance of each container (lastState from the
// one before), waiting reasons for containers held back, phase, the PodReadyToStartContainers /
// Initialized / ContainersReady / Ready conditions (PodScheduled kept from the scheduler), IPs, start
// time and QoS class. Pure.
import type { Container, ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1'
import { CONTAINER_NAME_LABEL, isSandbox, restartCountOf, SANDBOX_ID_LABEL } from '../runtime/labels.ts'
import type { RuntimeContainer } from '../runtime/runtime.ts'
import { currentSandbox, latest, type Waiting } from './plan.ts'

export interface StatusInput {
  pod: Pod
  observed: RuntimeContainer[]
  /** why a container is not running: back-off, image or config errors */
  waiting: Record<string, Waiting>
  /** readiness by container id (probe result; undefined = no readiness probe) */
  ready: (containerId: string) => boolean | undefined
  /** startup probe passed (or none) by container id */
  started: (containerId: string) => boolean
  sandboxReady: boolean
  podIPs: string[]
  hostIPs: string[]
  now: number
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

function terminated(c: RuntimeContainer): ContainerState {
  const code = c.exitCode ?? 128
  const reason = c.oomKilled
    ? 'OOMKilled'
    : c.state === 'created'
      ? 'ContainerCannotRun'
      : code === 0
        ? 'Completed'
        : 'Error'
  return {
    terminated: {
      exitCode: code,
      reason,
      ...(c.error ? { message: c.error } : {}),
      startedAt: c.startedAt ? rfc3339(c.startedAt) : undefined,
      finishedAt: rfc3339(c.finishedAt ?? c.createdAt),
      containerID: `docker://${c.id}`,
    },
  }
}

function containerStatus(
  spec: Container,
  sandboxId: string | undefined,
  i: StatusInput,
  kind: 'init' | 'app',
): ContainerStatus {
  const all = i.observed.filter((c) => !isSandbox(c) && c.labels[CONTAINER_NAME_LABEL] === spec.name)
  const newest = latest(all, spec.name)
  const older = newest
    ? latest(
        all.filter((c) => c !== newest),
        spec.name,
      )
    : undefined
  const base: ContainerStatus = {
    name: spec.name,
    image: spec.image ?? '',
    imageID: '',
    ready: false,
    restartCount: newest ? restartCountOf(newest) : 0,
    started: false,
    state: { waiting: { reason: kind === 'app' ? 'PodInitializing' : 'PodInitializing' } },
  }
  const wait = i.waiting[spec.name]
  if (!newest) {
    base.state = { waiting: wait ?? { reason: 'ContainerCreating' } }
    if (kind === 'app' && !wait && !initDone(i, sandboxId)) base.state = { waiting: { reason: 'PodInitializing' } }
    return base
  }
  // cri-dockerd: docker-pullable://repo@digest for pulled images; local/imported ones have only an id
  base.imageID = `docker://${newest.imageId}`
  base.containerID = `docker://${newest.id}`
  if (newest.state === 'running') {
    const current = newest.labels[SANDBOX_ID_LABEL] === sandboxId
    const started = i.started(newest.id)
    base.state = { running: { startedAt: rfc3339(newest.startedAt ?? newest.createdAt) } }
    base.started = started
    base.ready = current && started && i.ready(newest.id) !== false && i.sandboxReady
    if (older) base.lastState = terminated(older)
    return base
  }
  if (wait) {
    // A dead container waiting to restart reports waiting, its last run as lastState.
    base.state = { waiting: wait }
    base.lastState = terminated(newest)
    return base
  }
  base.state = terminated(newest)
  if (older) base.lastState = terminated(older)
  return base
}

function initDone(i: StatusInput, sandboxId?: string): boolean {
  return (i.pod.spec?.initContainers ?? []).every((c) => {
    const cur = sandboxId ? latest(i.observed, c.name, sandboxId) : undefined
    return cur?.state === 'exited' && cur.exitCode === 0
  })
}

/** getPhase: Pending until every container has started once; terminal by restart policy. */
export function podPhase(pod: Pod, init: ContainerStatus[], app: ContainerStatus[]): PodStatus['phase'] {
  const policy = pod.spec?.restartPolicy ?? 'Always'
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return pod.status.phase
  const initFailed = init.some((s) => s.state?.terminated && s.state.terminated.exitCode !== 0)
  if (policy === 'Never' && initFailed) return 'Failed'
  const initPending = init.some((s) => !(s.state?.terminated?.exitCode === 0))
  if (initPending && !app.some((s) => s.state?.running || s.lastState?.terminated || s.state?.terminated))
    return 'Pending'
  let running = 0
  let waiting = 0
  let succeeded = 0
  let failed = 0
  for (const s of app) {
    if (s.state?.running) running++
    else if (s.state?.terminated) s.state.terminated.exitCode === 0 ? succeeded++ : failed++
    else if (s.state?.waiting && s.lastState?.terminated)
      running++ // restarting
    else waiting++
  }
  if (waiting) return 'Pending'
  if (running) return 'Running'
  if (policy === 'Always') return 'Running'
  if (policy === 'OnFailure') return failed ? 'Running' : 'Succeeded'
  return failed ? 'Failed' : 'Succeeded'
}

/** QoS class (pkg/apis/core/v1/helper/qos): Guaranteed when every container has equal cpu and memory
 * requests and limits, BestEffort when none has any, else Burstable. */
export function qosClass(pod: Pod): string {
  const cs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]
  let any = false
  let guaranteed = true
  for (const c of cs) {
    const l = c.resources?.limits ?? {}
    const r = c.resources?.requests ?? {}
    if (Object.keys(l).length || Object.keys(r).length) any = true
    for (const k of ['cpu', 'memory']) {
      if (!l[k] || (r[k] !== undefined && String(r[k]) !== String(l[k]))) guaranteed = false
    }
  }
  if (!any) return 'BestEffort'
  return guaranteed ? 'Guaranteed' : 'Burstable'
}

export function podStatus(i: StatusInput): PodStatus {
  const { pod, now } = i
  const spec = pod.spec ?? { containers: [] }
  const sandbox = currentSandbox(i.observed)
  const sandboxId = sandbox?.state === 'running' ? sandbox.id : undefined
  const init = (spec.initContainers ?? []).map((c) => containerStatus(c, sandboxId, i, 'init'))
  const app = spec.containers.map((c) => containerStatus(c, sandboxId, i, 'app'))
  const phase = podPhase(pod, init, app)
  const initialized = init.every((s) => s.state?.terminated?.exitCode === 0) || phase !== 'Pending'
  const containersReady = app.every((s) => s.ready) && phase === 'Running'
  const gates = (spec.readinessGates ?? []).map((g) => g.conditionType)
  const old = pod.status?.conditions ?? []
  const gatesOk = gates.every((t) => old.find((c) => c.type === t)?.status === 'True')
  const done = phase === 'Succeeded' || phase === 'Failed'
  const cond = (type: string, ok: boolean, reason?: string, message?: string): PodCondition => {
    const prev = old.find((c) => c.type === type)
    const status = ok ? 'True' : 'False'
    return {
      type,
      status,
      lastProbeTime: null as unknown as undefined,
      lastTransitionTime: prev?.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(now),
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
    }
  }
  const notReady = app.filter((s) => !s.ready).map((s) => s.name)
  const notReadyMsg = notReady.length ? `containers with unready status: [${notReady.join(' ')}]` : undefined
  const reasonNotReady = done ? 'PodCompleted' : 'ContainersNotReady'
  const uninit = init.filter((s) => s.state?.terminated?.exitCode !== 0).map((s) => s.name)
  const conditions = [
    cond('PodReadyToStartContainers', i.sandboxReady),
    cond(
      'Initialized',
      initialized,
      initialized ? (done ? 'PodCompleted' : undefined) : 'ContainersNotInitialized',
      initialized ? undefined : `containers with incomplete status: [${uninit.join(' ')}]`,
    ),
    cond(
      'Ready',
      containersReady && gatesOk,
      containersReady ? undefined : reasonNotReady,
      containersReady ? undefined : notReadyMsg,
    ),
    cond(
      'ContainersReady',
      containersReady,
      containersReady ? undefined : reasonNotReady,
      containersReady ? undefined : notReadyMsg,
    ),
    ...old.filter((c) => !['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady'].includes(c.type)),
  ]
  const status: PodStatus = {
    ...pod.status,
    phase,
    conditions,
    hostIP: i.hostIPs[0],
    hostIPs: i.hostIPs.map((ip) => ({ ip })),
    startTime: pod.status?.startTime ?? rfc3339(now),
    containerStatuses: app,
    qosClass: pod.status?.qosClass ?? qosClass(pod),
  }
  if (init.length) status.initContainerStatuses = init
  if (i.podIPs.length) {
    status.podIP = i.podIPs[0]
    status.podIPs = i.podIPs.map((ip) => ({ ip }))
  }
  return status
}
