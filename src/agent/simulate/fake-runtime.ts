// The fake container runtime of `kubun simulate` (kwok-style): containers "run" without processes.
// restartPolicy Always containers run until the pod is deleted; Never/OnFailure containers exit 0 after
// completeAfterMs; the annotation `kubun.io/simulate-fail: "true"` (or a comma list of container names)
// makes containers exit 1 instead, which restarts them (Always, OnFailure, restartCount bumped) or fails
// the pod (Never). Restarts follow the kubelet's CrashLoopBackOff (crash-backoff.ts): between runs the
// container is `waiting` with reason CrashLoopBackOff. The state machine is pure: advance(run, now)
// moves it; renderStatus() renders it.
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1'
import { crashBackoffMs, goDuration, podRef } from './crash-backoff.ts'

export const FAIL_ANNOTATION = 'kubun.io/simulate-fail'

/** What a node agent needs from a runtime; the Docker runtime of the real agent offers the same. */
export interface Runtime {
  startPod(pod: Pod, podIP: string): void
  stopPod(uid: string): void
  /** the pod's runtime status now, or undefined when the runtime does not know the pod */
  status(pod: Pod): RuntimePodStatus | undefined
  /** when the pod's status changes next by itself (a container exits), ms epoch */
  nextChangeAt(uid: string): number | undefined
}

export interface RuntimePodStatus {
  phase: 'Running' | 'Succeeded' | 'Failed'
  podIP: string
  startedAt: number
  containerStatuses: ContainerStatus[]
  initContainerStatuses: ContainerStatus[]
}

interface Exit {
  /** the dead instance's restartCount, which names its container ID */
  restartCount: number
  exitCode: number
  startedAt: number
  finishedAt: number
}

export interface ContainerRun {
  name: string
  image: string
  restartCount: number
  startedAt: number
  /** when the current run ends (undefined = runs until stopped) */
  exitAt?: number
  exitCode: number
  finished?: Exit
  last?: Exit
  /** in CrashLoopBackOff until then (ms epoch); the back-off it waits is backoffMs */
  waitingUntil?: number
  backoffMs?: number
}

/** options of the state machine; crashBackoffMs is the CrashLoopBackOff base (the kubelet's 10 s) */
export interface RunTiming {
  completeAfterMs: number
  crashBackoffMs: number
}

export interface PodRun {
  uid: string
  podIP: string
  startedAt: number
  restartPolicy: string
  /** format.Pod: name_namespace(uid), for back-off messages */
  ref: string
  containers: ContainerRun[]
  /** containers that went into back-off since the last takeBackoffs() (for BackOff events) */
  backoffs: string[]
  init: { name: string; image: string }[]
}

export function failingContainers(pod: Pod): (name: string) => boolean {
  const v = pod.metadata?.annotations?.[FAIL_ANNOTATION]?.trim()
  if (!v || v === 'false') return () => false
  if (v === 'true') return () => true
  const names = new Set(v.split(',').map((s) => s.trim()))
  return (n) => names.has(n)
}

export function startRun(pod: Pod, podIP: string, now: number, completeAfterMs: number): PodRun {
  const restartPolicy = pod.spec?.restartPolicy ?? 'Always'
  const fails = failingContainers(pod)
  return {
    uid: pod.metadata?.uid ?? '',
    podIP,
    startedAt: now,
    restartPolicy,
    ref: podRef(pod.metadata?.name ?? '', pod.metadata?.namespace ?? '', pod.metadata?.uid ?? ''),
    backoffs: [],
    init: (pod.spec?.initContainers ?? []).map((c) => ({ name: c.name, image: c.image ?? '' })),
    containers: (pod.spec?.containers ?? []).map((c) => {
      const exitCode = fails(c.name) ? 1 : 0
      const exits = exitCode !== 0 || restartPolicy !== 'Always'
      return {
        name: c.name,
        image: c.image ?? '',
        restartCount: 0,
        startedAt: now,
        exitAt: exits ? now + completeAfterMs : undefined,
        exitCode,
      }
    }),
  }
}

/** Moves every container whose run or back-off ended by `now`: exit, wait out the back-off, restart, or
 * stay terminated per restartPolicy. */
export function advance(run: PodRun, now: number, t: RunTiming): boolean {
  let changed = false
  for (const c of run.containers) {
    while (!c.finished) {
      if (c.waitingUntil !== undefined) {
        if (c.waitingUntil > now) break
        changed = true
        restart(c, c.waitingUntil, t.completeAfterMs)
        continue
      }
      if (c.exitAt === undefined || c.exitAt > now) break
      changed = true
      const exit: Exit = {
        restartCount: c.restartCount,
        exitCode: c.exitCode,
        startedAt: c.startedAt,
        finishedAt: c.exitAt,
      }
      const restarts = run.restartPolicy === 'Always' || (run.restartPolicy === 'OnFailure' && c.exitCode !== 0)
      if (!restarts) {
        c.finished = exit
        break
      }
      c.last = exit
      const delay = crashBackoffMs(c.restartCount, exit.finishedAt - exit.startedAt, t.crashBackoffMs)
      if (delay === 0) {
        restart(c, exit.finishedAt, t.completeAfterMs)
        continue
      }
      c.exitAt = undefined
      c.waitingUntil = exit.finishedAt + delay
      c.backoffMs = delay
      run.backoffs.push(c.name)
    }
  }
  return changed
}

function restart(c: ContainerRun, at: number, completeAfterMs: number): void {
  c.restartCount++
  c.startedAt = at
  c.exitAt = at + completeAfterMs
  c.waitingUntil = undefined
  c.backoffMs = undefined
}

/** When the run changes next by itself: a container exits or its back-off ends. */
export function nextChange(run: PodRun): number | undefined {
  let t: number | undefined
  for (const c of run.containers) {
    const at = c.finished ? undefined : (c.waitingUntil ?? c.exitAt)
    if (at !== undefined) t = t === undefined ? at : Math.min(t, at)
  }
  return t
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
const terminated = (e: Exit, containerID: string) => ({
  terminated: {
    exitCode: e.exitCode,
    reason: e.exitCode === 0 ? 'Completed' : 'Error',
    startedAt: rfc3339(e.startedAt),
    finishedAt: rfc3339(e.finishedAt),
    containerID,
  },
})

/** the kubelet's waiting state while a container's back-off runs (kuberuntime doBackOff's error) */
const backingOff = (run: PodRun, c: ContainerRun) => ({
  waiting: {
    reason: 'CrashLoopBackOff',
    message: `back-off ${goDuration(c.backoffMs ?? 0)} restarting failed container=${c.name} pod=${run.ref}`,
  },
})

export function renderStatus(run: PodRun): RuntimePodStatus {
  const id = (name: string, n: number) => `fake://${run.uid}-${name}-${n}`
  const containerStatuses: ContainerStatus[] = run.containers.map((c) => {
    const containerID = id(c.name, c.restartCount)
    const waiting = c.waitingUntil !== undefined
    const running = !c.finished && !waiting
    return {
      name: c.name,
      image: c.image,
      imageID: `fake://${c.image}`,
      // while waiting, the dead instance is still the newest container (its ID and restartCount)
      containerID,
      ready: running,
      started: running,
      restartCount: c.restartCount,
      state: c.finished
        ? terminated(c.finished, containerID)
        : waiting
          ? backingOff(run, c)
          : { running: { startedAt: rfc3339(c.startedAt) } },
      lastState: c.last ? terminated(c.last, id(c.name, c.last.restartCount)) : {},
    }
  })
  const initContainerStatuses: ContainerStatus[] = run.init.map((c) => ({
    name: c.name,
    image: c.image,
    imageID: `fake://${c.image}`,
    containerID: id(c.name, 0),
    ready: true,
    started: false,
    restartCount: 0,
    state: terminated(
      { restartCount: 0, exitCode: 0, startedAt: run.startedAt, finishedAt: run.startedAt },
      id(c.name, 0),
    ),
    lastState: {},
  }))
  const done = run.containers.length > 0 && run.containers.every((c) => c.finished)
  const phase = !done ? 'Running' : run.containers.every((c) => c.finished!.exitCode === 0) ? 'Succeeded' : 'Failed'
  return { phase, podIP: run.podIP, startedAt: run.startedAt, containerStatuses, initContainerStatuses }
}

/** The Runtime over the pure state machine, with a clock. */
export class FakeRuntime implements Runtime {
  private runs = new Map<string, PodRun>()

  private readonly timing: RunTiming

  /** crashBackoffMs: the CrashLoopBackOff base, the kubelet's 10 s */
  constructor(
    completeAfterMs: number,
    private readonly now: () => number = Date.now,
    crashBackoffMs = 10_000,
  ) {
    this.timing = { completeAfterMs, crashBackoffMs }
  }

  get size(): number {
    return this.runs.size
  }

  has(uid: string): boolean {
    return this.runs.has(uid)
  }

  startPod(pod: Pod, podIP: string): void {
    const uid = pod.metadata?.uid ?? ''
    if (!this.runs.has(uid)) this.runs.set(uid, startRun(pod, podIP, this.now(), this.timing.completeAfterMs))
  }

  stopPod(uid: string): void {
    this.runs.delete(uid)
  }

  status(pod: Pod): RuntimePodStatus | undefined {
    const run = this.runs.get(pod.metadata?.uid ?? '')
    if (!run) return undefined
    advance(run, this.now(), this.timing)
    return renderStatus(run)
  }

  nextChangeAt(uid: string): number | undefined {
    const run = this.runs.get(uid)
    return run && nextChange(run)
  }

  /** containers that went into CrashLoopBackOff since the last call, once each (for BackOff events) */
  takeBackoffs(uid: string): string[] {
    const run = this.runs.get(uid)
    return run ? run.backoffs.splice(0) : []
  }
}
