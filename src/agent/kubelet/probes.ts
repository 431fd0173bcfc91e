// Liveness, readiness and startup probes (pkg/kubelet/prober): one loop per probe and running container,
// first run after initialDelaySeconds, then every periodSeconds, each attempt bounded by timeoutSeconds;
// the result flips after successThreshold / failureThreshold consecutive outcomes. Readiness starts
// false, liveness true, startup false; liveness and readiness wait for the startup probe to succeed.
import { connect } from 'node:net'
import type { Container, Probe } from 'kubernetes-types/core/v1'
import type { Runtime } from '../runtime/runtime.ts'

export type ProbeKind = 'liveness' | 'readiness' | 'startup'

export interface ProbeState {
  ok: boolean
  successes: number
  failures: number
}

/** Pure threshold logic: consecutive outcomes flip the result. */
export function nextProbeState(s: ProbeState, success: boolean, probe: Probe): ProbeState {
  const successes = success ? s.successes + 1 : 0
  const failures = success ? 0 : s.failures + 1
  let ok = s.ok
  if (success && successes >= (probe.successThreshold ?? 1)) ok = true
  if (!success && failures >= (probe.failureThreshold ?? 3)) ok = false
  return { ok, successes, failures }
}

export interface ProbeTarget {
  runtime: Runtime
  containerId: string
  container: Container
  podIP: string
}

/** One probe attempt: ok plus a message for the Unhealthy event. */
export async function runProbe(probe: Probe, t: ProbeTarget): Promise<{ ok: boolean; message: string }> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000
  try {
    if (probe.exec) {
      const r = await t.runtime.exec(t.containerId, probe.exec.command ?? [], { timeoutMs })
      if (r.timedOut) return { ok: false, message: `command timed out after ${probe.timeoutSeconds ?? 1}s` }
      return { ok: r.exitCode === 0, message: r.output.trim() || `exit code ${r.exitCode}` }
    }
    if (probe.httpGet) {
      const g = probe.httpGet
      const port = resolvePort(g.port, t.container)
      const host = g.host || t.podIP
      const path = g.path?.startsWith('/') ? g.path : `/${g.path ?? ''}`
      const url = `${(g.scheme ?? 'HTTP').toLowerCase()}://${host}:${port}${path}`
      const headers: Record<string, string> = { 'user-agent': 'kube-probe/1.32', accept: '*/*' }
      for (const h of g.httpHeaders ?? []) headers[h.name.toLowerCase()] = h.value
      const res = await fetch(url, {
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        tls: { rejectUnauthorized: false },
      } as RequestInit)
      await res.arrayBuffer().catch(() => {})
      const ok = res.status >= 200 && res.status < 400
      return { ok, message: ok ? '' : `HTTP probe failed with statuscode: ${res.status}` }
    }
    if (probe.tcpSocket) {
      const port = resolvePort(probe.tcpSocket.port, t.container)
      const host = probe.tcpSocket.host || t.podIP
      await tcpConnect(host, port, timeoutMs)
      return { ok: true, message: '' }
    }
    return { ok: true, message: 'probe type not supported; treated as success' }
  } catch (e) {
    return { ok: false, message: (e as Error).message }
  }
}

export function resolvePort(port: number | string, c: Container): number {
  if (typeof port === 'number') return port
  if (/^\d+$/.test(port)) return Number(port)
  const p = c.ports?.find((x) => x.name === port)
  if (!p) throw new Error(`port "${port}" is not a named port of container ${c.name}`)
  return p.containerPort
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port })
    const t = setTimeout(() => {
      s.destroy()
      reject(new Error(`dial tcp ${host}:${port}: i/o timeout`))
    }, timeoutMs)
    s.once('connect', () => {
      clearTimeout(t)
      s.destroy()
      resolve()
    })
    s.once('error', (e) => {
      clearTimeout(t)
      reject(new Error(`dial tcp ${host}:${port}: ${e.message}`))
    })
  })
}
