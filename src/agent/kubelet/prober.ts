// Keeps one probe loop per (running container, probe kind) and answers the pod worker's questions:
// is this container ready, has it started, must it be restarted. A result change calls onChange so the
// pod worker syncs (status, restart) without waiting for its next period.
import type { Container, Probe } from 'kubernetes-types/core/v1'
import type { Runtime } from '../runtime/runtime.ts'
import { nextProbeState, type ProbeKind, type ProbeState, runProbe } from './probes.ts'

interface Loop {
  timer?: ReturnType<typeof setTimeout>
  state: ProbeState
  stopped: boolean
  failureThreshold: number
}

export interface ProbeFailure {
  kind: ProbeKind
  containerName: string
  message: string
}

export class Prober {
  private loops = new Map<string, Loop>()

  constructor(
    private readonly runtime: Runtime,
    /** called on any result change; `failure` is set for an attempt that failed (Unhealthy event) */
    private readonly onChange: (podUid: string, failure?: ProbeFailure) => void,
  ) {}

  /** Starts loops for these running containers, stops loops of containers no longer listed. */
  sync(podUid: string, running: { id: string; container: Container }[], podIP: string): void {
    const want = new Set<string>()
    for (const { id, container } of running) {
      for (const [kind, probe] of probesOf(container)) {
        const key = `${podUid}/${id}/${kind}`
        want.add(key)
        if (!this.loops.has(key)) this.startLoop(key, podUid, kind, probe, { id, container, podIP })
      }
    }
    for (const [key, loop] of this.loops)
      if (key.startsWith(`${podUid}/`) && !want.has(key)) {
        loop.stopped = true
        clearTimeout(loop.timer)
        this.loops.delete(key)
      }
  }

  stopPod(podUid: string): void {
    this.sync(podUid, [], '')
  }

  stopAll(): void {
    for (const l of this.loops.values()) {
      l.stopped = true
      clearTimeout(l.timer)
    }
    this.loops.clear()
  }

  /** undefined when the container has no readiness probe */
  ready(podUid: string, id: string): boolean | undefined {
    if (!this.started(podUid, id)) return false
    return this.loops.get(`${podUid}/${id}/readiness`)?.state.ok
  }

  started(podUid: string, id: string): boolean {
    return this.loops.get(`${podUid}/${id}/startup`)?.state.ok ?? true
  }

  /** liveness (or startup) has failed past its threshold */
  unhealthy(podUid: string, id: string): boolean {
    const live = this.loops.get(`${podUid}/${id}/liveness`)
    const startup = this.loops.get(`${podUid}/${id}/startup`)
    return (
      live?.state.ok === false || (!!startup && !startup.state.ok && startup.state.failures >= startup.failureThreshold)
    )
  }

  private startLoop(
    key: string,
    podUid: string,
    kind: ProbeKind,
    probe: Probe,
    t: { id: string; container: Container; podIP: string },
  ) {
    const loop: Loop = {
      state: { ok: kind === 'liveness', successes: 0, failures: 0 },
      stopped: false,
      failureThreshold: probe.failureThreshold ?? 3,
    }
    this.loops.set(key, loop)
    const period = (probe.periodSeconds ?? 10) * 1000
    const tick = async () => {
      if (loop.stopped) return
      // liveness and readiness wait until the startup probe has succeeded
      if (kind !== 'startup' && !this.started(podUid, t.id)) {
        loop.timer = setTimeout(tick, Math.min(period, 1000))
        return
      }
      const r = await runProbe(probe, {
        runtime: this.runtime,
        containerId: t.id,
        container: t.container,
        podIP: t.podIP,
      })
      if (loop.stopped) return
      const before = loop.state.ok
      loop.state = nextProbeState(loop.state, r.ok, probe)
      if (!r.ok) this.onChange(podUid, { kind, containerName: t.container.name, message: r.message })
      else if (before !== loop.state.ok) this.onChange(podUid)
      // a failed liveness/startup probe restarts the container: no more attempts on this instance
      if (!loop.state.ok && kind !== 'readiness' && loop.state.failures >= (probe.failureThreshold ?? 3)) return
      loop.timer = setTimeout(tick, period)
    }
    loop.timer = setTimeout(tick, (probe.initialDelaySeconds ?? 0) * 1000)
  }
}

function probesOf(c: Container): [ProbeKind, Probe][] {
  const out: [ProbeKind, Probe][] = []
  if (c.startupProbe) out.push(['startup', c.startupProbe])
  if (c.livenessProbe) out.push(['liveness', c.livenessProbe])
  if (c.readinessProbe) out.push(['readiness', c.readinessProbe])
  return out
}
