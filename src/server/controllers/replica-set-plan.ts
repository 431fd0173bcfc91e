// The ReplicaSet (and ReplicationController) plan, as upstream's replica_set.go manageReplicas and
// calculateStatus: how many pods to create, which to delete, and the status to record.
import { condition, isPodActive, isPodAvailable, isPodReady, msUntilAvailable, type Pod } from './lib/pods.ts'

export interface ReplicaSetLike {
  metadata?: { generation?: number; deletionTimestamp?: string }
  spec?: { replicas?: number; minReadySeconds?: number; template?: { metadata?: { labels?: Record<string, string> } } }
  status?: Record<string, any>
}

export interface ReplicaSetPlan {
  create: number
  delete: Pod[]
  status: Record<string, any>
  /** a pod becomes available after minReadySeconds: look again then */
  requeueAfterMs?: number
}

/** upstream's burstReplicas: at most this many creates or deletes per sync */
export const BURST = 500

export function planReplicaSet(rs: ReplicaSetLike, owned: Pod[], now: number): ReplicaSetPlan {
  const active = owned.filter(isPodActive)
  const want = rs.spec?.replicas ?? 1
  let create = 0
  let del: Pod[] = []
  if (!rs.metadata?.deletionTimestamp) {
    if (active.length < want) create = Math.min(want - active.length, BURST)
    else if (active.length > want) del = rankForDeletion(active, now).slice(0, Math.min(active.length - want, BURST))
  }
  const minReady = rs.spec?.minReadySeconds ?? 0
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {}
  let requeue: number | undefined
  for (const p of active) {
    const ms = msUntilAvailable(p, minReady, now)
    if (ms !== undefined) requeue = Math.min(requeue ?? ms, ms)
  }
  const status: Record<string, any> = {
    replicas: active.length,
    fullyLabeledReplicas: active.filter((p) =>
      Object.entries(templateLabels).every(([k, v]) => p.metadata?.labels?.[k] === v),
    ).length,
    readyReplicas: active.filter(isPodReady).length,
    availableReplicas: active.filter((p) => isPodAvailable(p, minReady, now)).length,
    observedGeneration: rs.metadata?.generation ?? rs.status?.observedGeneration,
  }
  if (rs.status?.conditions?.length) status.conditions = rs.status.conditions
  return { create, delete: del, status, requeueAfterMs: requeue }
}

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 }

/** Pods most worth deleting first (upstream ActivePods ordering): unscheduled < scheduled, Pending <
 * Unknown < Running, not ready < ready, ready for less time first, more restarts first, newest first. */
export function rankForDeletion(pods: Pod[], now: number): Pod[] {
  const readySince = (p: Pod) => {
    const c = condition(p, 'Ready')
    return c?.status === 'True' ? Date.parse(c.lastTransitionTime ?? '') || now : undefined
  }
  const restarts = (p: Pod) =>
    (p.status?.containerStatuses ?? []).reduce(
      (n: number, c: { restartCount?: number }) => n + (c.restartCount ?? 0),
      0,
    )
  const created = (p: Pod) => Date.parse(p.metadata?.creationTimestamp ?? '') || 0
  return [...pods].sort((a, b) => {
    const sa = a.spec?.nodeName ? 1 : 0
    const sb = b.spec?.nodeName ? 1 : 0
    if (sa !== sb) return sa - sb
    const pa = phaseRank[a.status?.phase ?? 'Pending'] ?? 0
    const pb = phaseRank[b.status?.phase ?? 'Pending'] ?? 0
    if (pa !== pb) return pa - pb
    const ra = readySince(a)
    const rb = readySince(b)
    if ((ra === undefined) !== (rb === undefined)) return ra === undefined ? -1 : 1
    if (ra !== undefined && rb !== undefined && ra !== rb) return rb - ra
    const xa = restarts(a)
    const xb = restarts(b)
    if (xa !== xb) return xb - xa
    const ca = created(a)
    const cb = created(b)
    if (ca !== cb) return cb - ca
    return (b.metadata?.name ?? '').localeCompare(a.metadata?.name ?? '')
  })
}
