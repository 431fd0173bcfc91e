// Deployment arithmetic shared by the rollout strategies (upstream pkg/controller/deployment/util).
import type { KubeObject } from '../registry/types.ts'

export type RS = KubeObject
export const REVISION = 'deployment.kubernetes.io/revision'
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history'
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas'
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas'
export const HASH_LABEL = 'pod-template-hash'

/** Annotations of the Deployment not copied to its ReplicaSets (upstream annotationsToSkip). */
const SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
])

export const replicasOf = (rs: RS): number => rs.spec?.replicas ?? 0
export const revisionOf = (rs: RS): number => Number(rs.metadata?.annotations?.[REVISION] ?? 0) || 0
export const sumSpec = (rss: RS[]) => rss.reduce((n, rs) => n + replicasOf(rs), 0)
export const sumStatus = (rss: RS[], f: 'replicas' | 'readyReplicas' | 'availableReplicas') =>
  rss.reduce((n, rs) => n + (rs.status?.[f] ?? 0), 0)

/** An int-or-percent against `total` (intstr.GetScaledValueFromIntOrPercent). */
export function scaled(v: number | string | undefined, total: number, roundUp: boolean, dflt: string): number {
  const x = v ?? dflt
  if (typeof x === 'number') return x
  const m = /^(\d+)%$/.exec(x)
  if (!m) return Number.parseInt(x, 10) || 0
  const exact = (Number(m[1]) * total) / 100
  return roundUp ? Math.ceil(exact) : Math.floor(exact)
}

/** maxSurge rounds up, maxUnavailable down; both 0 would deadlock, so unavailable becomes 1 (ResolveFenceposts). */
export function fenceposts(d: KubeObject): { surge: number; unavailable: number } {
  const replicas = d.spec?.replicas ?? 1
  const ru = d.spec?.strategy?.rollingUpdate
  if (d.spec?.strategy?.type === 'Recreate') return { surge: 0, unavailable: replicas }
  const surge = scaled(ru?.maxSurge, replicas, true, '25%')
  let unavailable = scaled(ru?.maxUnavailable, replicas, false, '25%')
  if (surge === 0 && unavailable === 0) unavailable = 1
  return { surge, unavailable: Math.min(unavailable, replicas) }
}

export const maxUnavailable = (d: KubeObject): number => {
  const replicas = d.spec?.replicas ?? 1
  if (d.spec?.strategy?.type !== 'RollingUpdate' && d.spec?.strategy?.type !== undefined) return 0
  if (replicas === 0) return 0
  return fenceposts(d).unavailable
}

/** Deep equality of two templates, ignoring the pod-template-hash label (EqualIgnoreHash). */
export function equalIgnoreHash(a: KubeObject | undefined, b: KubeObject | undefined): boolean {
  const strip = (t: KubeObject | undefined) => {
    // kubectl rollout undo sends `creationTimestamp: null`: semantically absent, as in Go's DeepEqual of the types
    const c = withoutNulls(t ?? {}) as KubeObject
    if (c.metadata?.labels) {
      delete c.metadata.labels[HASH_LABEL]
      if (Object.keys(c.metadata.labels).length === 0) delete c.metadata.labels
    }
    if (c.metadata && Object.keys(c.metadata).length === 0) delete c.metadata
    return c
  }
  return deepEqual(strip(a), strip(b))
}

/** A copy without null-valued keys (absent and null mean the same to the API types). */
export function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls)
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = withoutNulls(x)
    return out
  }
  return v
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]))
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  const ka = Object.keys(ao).filter((k) => ao[k] !== undefined)
  const kb = Object.keys(bo).filter((k) => bo[k] !== undefined)
  return ka.length === kb.length && ka.every((k) => deepEqual(ao[k], bo[k]))
}

/** Annotations the Deployment hands to a ReplicaSet (change-cause and the like). */
export function copiedAnnotations(d: KubeObject): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) if (!SKIP.has(k)) out[k] = v as string
  return out
}

export const byCreation = (a: RS, b: RS) =>
  (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') ||
  (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '')

export interface Cond {
  type: string
  status: 'True' | 'False' | 'Unknown'
  reason: string
  message: string
  lastUpdateTime?: string
  lastTransitionTime?: string
}

/** Sets a condition; the transition time stays when the status does not change (SetDeploymentCondition). */
export function setCondition(conds: Cond[], c: Cond, now: string, refresh = false): Cond[] {
  const cur = conds.find((x) => x.type === c.type)
  if (!refresh && cur && cur.status === c.status && cur.reason === c.reason && cur.message === c.message) return conds
  const next: Cond = {
    ...c,
    lastUpdateTime: now,
    lastTransitionTime: cur && cur.status === c.status ? cur.lastTransitionTime : now,
  }
  return [...conds.filter((x) => x.type !== c.type), next]
}

/** Drops what an API round trip may omit (empty lists and maps, zeros, nulls) so that status
 * comparisons do not flap; a controller that rewrote equal status forever would loop on its own events. */
export function normalized(v: unknown): unknown {
  if (v === null || v === undefined || v === 0 || v === false || v === '') return undefined
  if (Array.isArray(v)) return v.length ? v.map(normalized) : undefined
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) {
      const n = normalized(x)
      if (n !== undefined) out[k] = n
    }
    return Object.keys(out).length ? out : undefined
  }
  return v
}

/** Every field `want` sets equals the one in `have`, ignoring fields `want` does not mention. */
export function statusCovers(have: Record<string, unknown> | undefined, want: Record<string, unknown>): boolean {
  return Object.entries(want).every(([k, v]) => deepEqual(normalized(have?.[k]), normalized(v)))
}
