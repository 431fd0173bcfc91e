// The pod plan: what must happen next to move Docker toward the PodSpec, as the kubelet's
// kuberuntime computePodActions: a sandbox first (a new one, attempt+1, when it died or lost its
// network; every container then starts again), init containers one at a time in order, then every app
// container, restarted as restartPolicy says with CrashLoopBackOff; a deleted pod is stopped and
// cleaned up; dead containers beyond the last one per name are collected. Pure: observed containers in,
// actions out; the pod worker executes them.
import type { Container, Pod } from 'kubernetes-types/core/v1'
import {
  attemptOf,
  CONTAINER_HASH_LABEL,
  CONTAINER_KIND_LABEL,
  CONTAINER_NAME_LABEL,
  isSandbox,
  restartCountOf,
  SANDBOX_ID_LABEL,
} from '../runtime/labels.ts'
import type { RuntimeContainer } from '../runtime/runtime.ts'
import { crashLoopDelayMs } from './backoff.ts'
import { containerHash } from './container-config.ts'

export type PlanAction =
  | { type: 'createSandbox'; attempt: number }
  | { type: 'killSandbox'; id: string; reason: string }
  | { type: 'startContainer'; name: string; kind: 'init' | 'app'; restartCount: number; sandboxId: string }
  | { type: 'killContainer'; id: string; name: string; reason: string; message?: string }
  | { type: 'removeContainer'; id: string; sandbox: boolean }
  /** everything is stopped and removed: release the network and delete the pod object */
  | { type: 'finalize' }

export interface Waiting {
  reason: string
  message: string
}

export interface PlanInput {
  pod: Pod
  /** every container and sandbox of this pod uid, any state */
  observed: RuntimeContainer[]
  now: number
  /** sandbox ids whose network is plumbed (CNI add done or adopted) */
  networkReady: (sandboxId: string) => boolean
  /** running container ids the prober wants restarted (liveness or startup failure) */
  unhealthy?: ReadonlySet<string>
}

export interface PodPlan {
  actions: PlanAction[]
  /** containers held back, for status (CrashLoopBackOff) */
  waiting: Record<string, Waiting>
  /** ms epoch at which to plan again even without news (back-off expiry) */
  wakeAt?: number
}

const nameOf = (c: RuntimeContainer) => c.labels[CONTAINER_NAME_LABEL] ?? ''
const isRunning = (c: RuntimeContainer) => c.state === 'running'
const byAge = (a: RuntimeContainer, b: RuntimeContainer) =>
  restartCountOf(a) - restartCountOf(b) || a.createdAt - b.createdAt

/** The newest instance of a named container (highest restart count), optionally within one sandbox. */
export function latest(observed: RuntimeContainer[], name: string, sandboxId?: string): RuntimeContainer | undefined {
  const mine = observed.filter(
    (c) => !isSandbox(c) && nameOf(c) === name && (!sandboxId || c.labels[SANDBOX_ID_LABEL] === sandboxId),
  )
  return mine.sort(byAge).at(-1)
}

export function currentSandbox(observed: RuntimeContainer[]): RuntimeContainer | undefined {
  return observed
    .filter(isSandbox)
    .sort((a, b) => attemptOf(a) - attemptOf(b) || a.createdAt - b.createdAt)
    .at(-1)
}

const nextCount = (prev?: RuntimeContainer) => (prev ? restartCountOf(prev) + 1 : 0)

export function planPod(input: PlanInput): PodPlan {
  const { pod, observed, now } = input
  const actions: PlanAction[] = []
  const waiting: Record<string, Waiting> = {}
  const plan: PodPlan = { actions, waiting }
  const spec = pod.spec ?? { containers: [] }
  const policy = spec.restartPolicy ?? 'Always'
  const containers = observed.filter((c) => !isSandbox(c))
  const sandbox = currentSandbox(observed)

  if (pod.metadata?.deletionTimestamp) return planTeardown(observed, actions, plan)

  // A pod the API already records as finished never runs again (its containers may be gone after GC).
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
    for (const c of observed.filter(isRunning))
      actions.push(
        isSandbox(c)
          ? { type: 'killSandbox', id: c.id, reason: 'PodCompleted' }
          : { type: 'killContainer', id: c.id, name: nameOf(c), reason: 'PodCompleted' },
      )
    return plan
  }

  if (podFinished(pod, observed, sandbox)) {
    // As the kubelet: a finished pod's sandbox is stopped (its IP freed); containers stay for logs.
    if (sandbox && isRunning(sandbox)) actions.push({ type: 'killSandbox', id: sandbox.id, reason: 'PodCompleted' })
    collectGarbage(observed, sandbox, actions)
    return plan
  }

  if (!sandbox || !isRunning(sandbox) || !input.networkReady(sandbox.id)) {
    for (const c of containers.filter(isRunning))
      actions.push({ type: 'killContainer', id: c.id, name: nameOf(c), reason: 'SandboxChanged' })
    if (sandbox && isRunning(sandbox))
      actions.push({ type: 'killSandbox', id: sandbox.id, reason: 'network not ready' })
    // dead sandboxes older than the newest go (the newest numbers the next attempt)
    for (const s of observed.filter(isSandbox))
      if (s.id !== sandbox?.id && !isRunning(s)) actions.push({ type: 'removeContainer', id: s.id, sandbox: true })
    actions.push({ type: 'createSandbox', attempt: sandbox ? attemptOf(sandbox) + 1 : 0 })
    return plan
  }

  // Init containers, in order, each to successful completion.
  for (const c of spec.initContainers ?? []) {
    const cur = latest(observed, c.name, sandbox.id)
    if (cur?.state === 'exited' && cur.exitCode === 0) continue
    if (cur && isRunning(cur)) return plan
    if (cur?.state === 'exited' || cur?.state === 'created') {
      if (policy === 'Never') {
        actions.push({ type: 'killSandbox', id: sandbox.id, reason: 'InitContainerFailed' })
        return plan
      }
      if (holdForBackoff(cur, c.name, now, plan)) return plan
    }
    actions.push(startAction(c, 'init', nextCount(latest(observed, c.name)), sandbox.id))
    return plan
  }

  for (const c of spec.containers) {
    const cur = latest(observed, c.name, sandbox.id)
    const prev = latest(observed, c.name)
    if (cur && isRunning(cur)) {
      if (input.unhealthy?.has(cur.id))
        actions.push({ type: 'killContainer', id: cur.id, name: c.name, reason: 'Unhealthy' })
      // the spec changed (e.g. a new image on a bare pod): restart it, as the kubelet's hash check
      else if (cur.labels[CONTAINER_HASH_LABEL] && cur.labels[CONTAINER_HASH_LABEL] !== containerHash(c))
        actions.push({ type: 'killContainer', id: cur.id, name: c.name, reason: 'Changed' })
      continue
    }
    if (!cur) {
      actions.push(startAction(c, 'app', nextCount(prev), sandbox.id))
      continue
    }
    const failed = cur.state === 'created' || cur.exitCode !== 0
    const restart = policy === 'Always' || (policy === 'OnFailure' && failed)
    if (!restart) continue
    if (holdForBackoff(cur, c.name, now, plan)) continue
    actions.push(startAction(c, 'app', nextCount(cur), sandbox.id))
  }
  collectGarbage(observed, sandbox, actions)
  return plan
}

function startAction(c: Container, kind: 'init' | 'app', restartCount: number, sandboxId: string): PlanAction {
  return { type: 'startContainer', name: c.name, kind, restartCount, sandboxId }
}

/** CrashLoopBackOff: true (and a waiting reason) while the dead instance's back-off runs. */
function holdForBackoff(dead: RuntimeContainer, name: string, now: number, plan: PodPlan): boolean {
  const finished = dead.finishedAt ?? dead.createdAt
  const ran = dead.startedAt ? finished - dead.startedAt : 0
  const delay = crashLoopDelayMs(restartCountOf(dead), ran)
  if (now >= finished + delay) return false
  plan.waiting[name] = {
    reason: 'CrashLoopBackOff',
    message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${name}`,
  }
  plan.wakeAt = Math.min(plan.wakeAt ?? Number.POSITIVE_INFINITY, finished + delay)
  return true
}

/** Every app container has run and none will run again (restartPolicy Never/OnFailure), or an init
 * container failed under Never. */
export function podFinished(pod: Pod, observed: RuntimeContainer[], sandbox?: RuntimeContainer): boolean {
  const spec = pod.spec ?? { containers: [] }
  const policy = spec.restartPolicy ?? 'Always'
  if (policy === 'Always') return false
  if (policy === 'Never' && sandbox) {
    const initFailed = (spec.initContainers ?? []).some((c) => {
      const cur = latest(observed, c.name, sandbox.id)
      return cur?.state === 'exited' && cur.exitCode !== 0
    })
    if (initFailed) return true
  }
  return spec.containers.every((c) => {
    const cur = latest(observed, c.name)
    if (cur?.state !== 'exited') return false
    return policy === 'Never' || cur.exitCode === 0
  })
}

function planTeardown(observed: RuntimeContainer[], actions: PlanAction[], plan: PodPlan): PodPlan {
  const running = observed.filter(isRunning)
  const apps = running.filter((c) => !isSandbox(c))
  for (const c of apps) actions.push({ type: 'killContainer', id: c.id, name: nameOf(c), reason: 'Killing' })
  if (apps.length) return plan
  for (const s of running) actions.push({ type: 'killSandbox', id: s.id, reason: 'PodDeleted' })
  if (running.length) return plan
  for (const c of observed) actions.push({ type: 'removeContainer', id: c.id, sandbox: isSandbox(c) })
  actions.push({ type: 'finalize' })
  return plan
}

/** Keeps the newest dead instance per container name (for `kubectl logs --previous`) and the current
 * sandbox; removes older dead containers and dead old sandboxes. */
function collectGarbage(observed: RuntimeContainer[], sandbox: RuntimeContainer | undefined, actions: PlanAction[]) {
  const byName = new Map<string, RuntimeContainer[]>()
  for (const c of observed.filter((c) => !isSandbox(c))) {
    const key = `${c.labels[CONTAINER_KIND_LABEL] ?? ''}/${nameOf(c)}`
    byName.set(key, [...(byName.get(key) ?? []), c])
  }
  for (const list of byName.values()) {
    const sorted = list.sort(byAge)
    const newest = sorted.at(-1)
    const keep = new Set([newest?.id, sorted.filter((c) => c.state === 'exited').at(-1)?.id])
    for (const c of sorted)
      if (!keep.has(c.id) && !isRunning(c)) actions.push({ type: 'removeContainer', id: c.id, sandbox: false })
  }
  for (const s of observed.filter(isSandbox))
    if (s.id !== sandbox?.id && !isRunning(s)) actions.push({ type: 'removeContainer', id: s.id, sandbox: true })
}
