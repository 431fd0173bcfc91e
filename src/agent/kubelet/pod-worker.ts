// One worker per pod uid (the kubelet's podWorkers): syncs are serialized, a request during a sync
// runs one more sync after it. A sync reads the runtime, asks planPod what to do, executes the actions
// and loops until the plan is empty, then writes the status when it changed. Failures become waiting
// reasons (ErrImagePull, CreateContainerConfigError, ...) and a retry, never a hot loop.
import type { Pod, PodStatus } from 'kubernetes-types/core/v1'
import { logger } from '../../shared/log.ts'
import { CONTAINER_NAME_LABEL, isSandbox } from '../runtime/labels.ts'
import type { RuntimeContainer } from '../runtime/runtime.ts'
import type { KubeletContext } from './context.ts'
import { ImageError } from './images.ts'
import { type PlanAction, planPod, type Waiting } from './plan.ts'
import { createSandbox, ensureVolumes, finalizePod, killContainer, killSandbox, startContainer } from './pod-actions.ts'
import { podStatus } from './pod-status.ts'

const log = logger('kubelet')
const MAX_ROUNDS = 20
const RESYNC_MS = 10_000
const VOLUME_REFRESH_MS = 10_000

export class PodWorker {
  pod: Pod
  /** container name → why it is not running (image, config errors) */
  readonly errors: Record<string, Waiting & { failures: number; retryAt: number }> = {}
  /** sandbox ids whose network this agent plumbed or adopted */
  readonly networkReady = new Set<string>()
  podIP?: string
  volumesReadyFor?: string
  volumePaths?: Map<string, string>
  private running = false
  private again = false
  private timer?: ReturnType<typeof setTimeout>
  private lastStatus = ''
  private lastAction = 0
  private volumesRefreshedAt = Date.now()
  done = false

  constructor(
    readonly ctx: KubeletContext,
    pod: Pod,
    /** called once the pod is finalized (containers removed, object deleted) */
    private readonly onDone: (uid: string) => void,
  ) {
    this.pod = pod
  }

  get uid(): string {
    return this.pod.metadata?.uid ?? ''
  }

  update(pod: Pod): void {
    this.pod = pod
    this.kick()
  }

  /** requests a sync; coalesced with a running one */
  kick(): void {
    if (this.done) return
    if (this.running) {
      this.again = true
      return
    }
    this.running = true
    void this.loop()
  }

  stop(): void {
    this.done = true
    clearTimeout(this.timer)
  }

  private async loop(): Promise<void> {
    clearTimeout(this.timer)
    let wakeAt = Date.now() + RESYNC_MS
    try {
      do {
        this.again = false
        wakeAt = Math.min(wakeAt, await this.sync())
      } while (this.again && !this.done)
    } catch (e) {
      log.error('pod sync failed; retrying', { pod: this.key(), err: e })
      wakeAt = Date.now() + 2000
    } finally {
      this.running = false
    }
    if (this.again) return this.kick()
    if (!this.done) this.timer = setTimeout(() => this.kick(), Math.max(50, wakeAt - Date.now()))
  }

  key(): string {
    return `${this.pod.metadata?.namespace}/${this.pod.metadata?.name}`
  }

  /** one sync; returns when to sync again at the latest */
  private async sync(): Promise<number> {
    let wakeAt = Date.now() + RESYNC_MS
    let observed: RuntimeContainer[] = []
    let waiting: Record<string, Waiting> = {}
    for (let round = 0; round < MAX_ROUNDS && !this.done; round++) {
      observed = await this.ctx.observe(this.uid, this.lastAction)
      this.adoptNetwork(observed)
      const now = Date.now()
      const unhealthy = new Set(
        observed.filter((c) => c.state === 'running' && this.ctx.prober.unhealthy(this.uid, c.id)).map((c) => c.id),
      )
      const plan = planPod({
        pod: this.pod,
        observed,
        now,
        networkReady: (id) => !!this.pod.spec?.hostNetwork || this.networkReady.has(id),
        unhealthy,
      })
      waiting = { ...plan.waiting }
      if (plan.wakeAt) wakeAt = Math.min(wakeAt, plan.wakeAt)
      const todo = plan.actions.filter((a) => !this.heldBack(a, now))
      for (const [name, e] of Object.entries(this.errors)) if (!waiting[name]) waiting[name] = e
      for (const e of Object.values(this.errors)) if (e.retryAt > now) wakeAt = Math.min(wakeAt, e.retryAt)
      if (!todo.length) break
      try {
        const finished = await this.execute(todo, observed)
        if (finished) return Number.POSITIVE_INFINITY
      } finally {
        this.lastAction = this.ctx.actionDone()
      }
    }
    this.syncProbes(observed)
    await this.refreshVolumes(observed)
    await this.writeStatus(observed, waiting)
    return wakeAt
  }

  /** a container whose last start failed waits for its retry time */
  private heldBack(a: PlanAction, now: number): boolean {
    return a.type === 'startContainer' && (this.errors[a.name]?.retryAt ?? 0) > now
  }

  /** After an agent restart, a running sandbox whose address IPAM still holds is adopted as is. */
  private adoptNetwork(observed: RuntimeContainer[]): void {
    for (const s of observed.filter((c) => isSandbox(c) && c.state === 'running')) {
      if (this.networkReady.has(s.id)) continue
      const ip = this.ctx.network.ipOf(s.id)
      if (ip) {
        this.networkReady.add(s.id)
        this.podIP = ip
      }
    }
  }

  /** Runs the plan's actions (consecutive kills in parallel); true when the pod is finalized. */
  private async execute(actions: PlanAction[], observed: RuntimeContainer[]): Promise<boolean> {
    const kills = actions.filter((a) => a.type === 'killContainer')
    if (kills.length) await Promise.all(kills.map((a) => killContainer(this, a, observed)))
    for (const a of actions) {
      log.debug('pod action', { pod: this.key(), action: a.type, ...('name' in a ? { container: a.name } : {}) })
      switch (a.type) {
        case 'killContainer':
          break
        case 'createSandbox':
          await createSandbox(this, a.attempt)
          return false
        case 'killSandbox':
          await killSandbox(this, a.id)
          break
        case 'removeContainer':
          await this.ctx.runtime.remove(a.id)
          if (a.sandbox) await this.ctx.network.remove(a.id).catch(() => {})
          break
        case 'startContainer':
          try {
            await startContainer(this, a)
            delete this.errors[a.name]
          } catch (e) {
            this.recordStartError(a.name, e)
            return false
          }
          break
        case 'finalize':
          await finalizePod(this, observed)
          this.done = true
          this.onDone(this.uid)
          return true
      }
    }
    return false
  }

  private recordStartError(name: string, e: unknown): void {
    const prev = this.errors[name]
    const failures = (prev?.failures ?? 0) + 1
    const delay = Math.min(10_000 * 2 ** (failures - 1), 300_000)
    let w: Waiting
    if (e instanceof ImageError) w = e.waiting
    else if (typeof (e as { reason?: unknown }).reason === 'string')
      w = { reason: (e as { reason: string }).reason, message: (e as Error).message }
    else w = { reason: 'CreateContainerError', message: (e as Error).message }
    // Config and mount errors clear as soon as the ConfigMap/Secret/claim appears: retry sooner.
    const retryIn = w.reason === 'CreateContainerConfigError' || w.reason === 'ContainerCreating' ? 2000 : delay
    this.errors[name] = { ...w, failures, retryAt: Date.now() + retryIn }
    log.warn('container failed to start', { pod: this.key(), container: name, reason: w.reason, err: w.message })
  }

  /** ConfigMap/Secret/projected/downwardAPI volumes follow their objects: rewritten (atomically, only
   * when the content changed) on the periodic resync, as the kubelet's volume manager remounts them. */
  private async refreshVolumes(observed: RuntimeContainer[]): Promise<void> {
    const sandbox = observed.find((c) => isSandbox(c) && c.state === 'running' && c.id === this.volumesReadyFor)
    if (!sandbox || this.pod.metadata?.deletionTimestamp || Date.now() - this.volumesRefreshedAt < VOLUME_REFRESH_MS)
      return
    this.volumesRefreshedAt = Date.now()
    await ensureVolumes(this, sandbox.id, true).catch(() => {})
  }

  private syncProbes(observed: RuntimeContainer[]): void {
    const containers = this.pod.spec?.containers ?? []
    const running = observed
      .filter((c) => !isSandbox(c) && c.state === 'running')
      .map((c) => ({
        id: c.id,
        container: containers.find((x) => x.name === c.labels[CONTAINER_NAME_LABEL]),
      }))
      .filter((x): x is { id: string; container: (typeof containers)[number] } => !!x.container)
    this.ctx.prober.sync(this.uid, this.pod.metadata?.deletionTimestamp ? [] : running, this.podIP ?? '')
  }

  private async writeStatus(observed: RuntimeContainer[], waiting: Record<string, Waiting>): Promise<void> {
    const sandboxRunning = observed.some(
      (c) => isSandbox(c) && c.state === 'running' && (this.pod.spec?.hostNetwork || this.networkReady.has(c.id)),
    )
    const podIPs = this.pod.spec?.hostNetwork ? this.ctx.nodeIPs : sandboxRunning && this.podIP ? [this.podIP] : []
    const status: PodStatus = podStatus({
      pod: this.pod,
      observed,
      waiting,
      ready: (id) => this.ctx.prober.ready(this.uid, id),
      started: (id) => this.ctx.prober.started(this.uid, id),
      sandboxReady: sandboxRunning,
      podIPs: podIPs.length ? podIPs : (this.pod.status?.podIPs ?? []).map((p) => p.ip ?? '').filter(Boolean),
      hostIPs: this.ctx.nodeIPs,
      now: Date.now(),
    })
    const text = JSON.stringify(status)
    if (text === this.lastStatus || text === JSON.stringify(this.pod.status)) {
      this.lastStatus = text
      return
    }
    // A static pod's status goes to its mirror pod (same name; the mirror has its own uid).
    const isStatic = this.ctx.isStatic(this.pod)
    try {
      const updated = await this.ctx.client.patch<Pod>(
        { group: '', version: 'v1', resource: 'pods', namespace: this.pod.metadata?.namespace },
        this.pod.metadata?.name ?? '',
        'merge',
        isStatic ? { status } : { metadata: { uid: this.uid }, status },
        { subresource: 'status' },
      )
      this.lastStatus = text
      log.debug('pod status written', { pod: this.key(), phase: status.phase })
      if (isStatic) this.pod = { ...this.pod, status }
      else if (updated?.metadata?.uid === this.uid) this.pod = { ...this.pod, status: updated.status }
    } catch (e) {
      const code = (e as { code?: number }).code
      if (code !== 404 && code !== 409) log.warn('pod status update failed', { pod: this.key(), err: e })
    }
  }
}
