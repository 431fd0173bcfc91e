// The fake container runtime of `kubun simulate` (kwok-style): containers "run" without processes.
// restartPolicy Always containers run until the pod is deleted; Never/OnFailure containers exit 0 after
// completeAfterMs; the annotation `kubun.io/simulate-fail: "true"` (or a comma list of container names)
// makes containers exit 1 instead, which restarts them (Always, OnFailure, restartCount bumped) or fails
// the pod (Never). The state machine is pure: advance(run, now) moves it; statusOf() renders it.
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1'

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
}

export interface PodRun {
  uid: string
  podIP: string
  startedAt: number
  restartPolicy: string
  containers: ContainerRun[]
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

/** Moves every container whose run ended by `now`: restart or stay terminated per restartPolicy. */
export function advance(run: PodRun, now: number, completeAfterMs: number): boolean {
  let changed = false
  for (const c of run.containers) {
    while (!c.finished && c.exitAt !== undefined && c.exitAt <= now) {
      changed = true
      const exit: Exit = { exitCode: c.exitCode, startedAt: c.startedAt, finishedAt: c.exitAt }
      const restart = run.restartPolicy === 'Always' || (run.restartPolicy === 'OnFailure' && c.exitCode !== 0)
      if (!restart) {
        c.finished = exit
        break
      }
      c.last = exit
      c.restartCount++
      c.startedAt = c.exitAt
      c.exitAt = c.exitAt + completeAfterMs
    }
  }
  return changed
}

export function nextExit(run: PodRun): number | undefined {
  let t: number | undefined
  for (const c of run.containers)
    if (!c.finished && c.exitAt !== undefined) t = t === undefined ? c.exitAt : Math.min(t, c.exitAt)
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

export function renderStatus(run: PodRun): RuntimePodStatus {
  const id = (name: string, n: number) => `fake://${run.uid}-${name}-${n}`
  const containerStatuses: ContainerStatus[] = run.containers.map((c) => {
    const containerID = id(c.name, c.restartCount)
    return {
      name: c.name,
      image: c.image,
      imageID: `fake://${c.image}`,
      containerID,
      ready: !c.finished,
      started: !c.finished,
      restartCount: c.restartCount,
      state: c.finished ? terminated(c.finished, containerID) : { running: { startedAt: rfc3339(c.startedAt) } },
      lastState: c.last ? terminated(c.last, id(c.name, c.restartCount - 1)) : {},
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
    state: terminated({ exitCode: 0, startedAt: run.startedAt, finishedAt: run.startedAt }, id(c.name, 0)),
    lastState: {},
  }))
  const done = run.containers.length > 0 && run.containers.every((c) => c.finished)
  const phase = !done ? 'Running' : run.containers.every((c) => c.finished!.exitCode === 0) ? 'Succeeded' : 'Failed'
  return { phase, podIP: run.podIP, startedAt: run.startedAt, containerStatuses, initContainerStatuses }
}

/** The Runtime over the pure state machine, with a clock. */
export class FakeRuntime implements Runtime {
  private runs = new Map<string, PodRun>()

  constructor(
    private readonly completeAfterMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.runs.size
  }

  has(uid: string): boolean {
    return this.runs.has(uid)
  }

  startPod(pod: Pod, podIP: string): void {
    const uid = pod.metadata?.uid ?? ''
    if (!this.runs.has(uid)) this.runs.set(uid, startRun(pod, podIP, this.now(), this.completeAfterMs))
  }

  stopPod(uid: string): void {
    this.runs.delete(uid)
  }

  status(pod: Pod): RuntimePodStatus | undefined {
    const run = this.runs.get(pod.metadata?.uid ?? '')
    if (!run) return undefined
    advance(run, this.now(), this.completeAfterMs)
    return renderStatus(run)
  }

  nextChangeAt(uid: string): number | undefined {
    const run = this.runs.get(uid)
    return run && nextExit(run)
  }
}
