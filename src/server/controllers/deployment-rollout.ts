// Rollout strategies over the plan's working state (upstream rolling.go, recreate.go and sync.go's
// proportional scaling). Each step only changes spec.replicas on the working copies via scaleRs.
import type { Work } from './deployment-plan.ts'
import { scaleRs } from './deployment-plan.ts'
import { fenceposts, maxUnavailable, type RS, replicasOf, sumSpec, sumStatus } from './deployment-util.ts'

const active = (w: Work) => w.old.filter((rs) => replicasOf(rs) > 0)

/** RollingUpdate: scale the new ReplicaSet up within maxSurge, then old ones down within maxUnavailable. */
export function rolloutRolling(w: Work): void {
  const rs = w.newRs!
  const replicas = w.d.spec?.replicas ?? 1
  const all = [rs, ...w.old]
  // reconcileNewReplicaSet
  if (replicasOf(rs) > replicas) {
    scaleRs(w, rs, replicas)
    return
  }
  if (replicasOf(rs) < replicas) {
    const { surge } = fenceposts(w.d)
    const current = sumSpec(all)
    const maxTotal = replicas + surge
    if (current < maxTotal) {
      const up = Math.min(maxTotal - current, replicas - replicasOf(rs))
      scaleRs(w, rs, replicasOf(rs) + up)
      return
    }
  }
  // reconcileOldReplicaSets
  const olds = active(w).sort(
    (a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') || 0,
  )
  if (sumSpec(olds) === 0) return
  const minAvailable = replicas - maxUnavailable(w.d)
  const newUnavailable = replicasOf(rs) - (rs.status?.availableReplicas ?? 0)
  const maxScaledDown = sumSpec(all) - minAvailable - newUnavailable
  if (maxScaledDown <= 0) return
  // first the old replicas that are not available anyway (cleanupUnhealthyReplicas)
  let cleaned = 0
  for (const o of olds) {
    if (cleaned >= maxScaledDown) break
    const unhealthy = replicasOf(o) - (o.status?.availableReplicas ?? 0)
    if (unhealthy <= 0) continue
    const n = Math.min(maxScaledDown - cleaned, unhealthy)
    scaleRs(w, o, replicasOf(o) - n)
    cleaned += n
  }
  // then healthy ones, as far as minAvailable allows (scaleDownOldReplicaSetsForRollingUpdate)
  const available = sumStatus(all, 'availableReplicas')
  if (available <= minAvailable) return
  let budget = available - minAvailable
  for (const o of olds) {
    if (budget <= 0) break
    if (replicasOf(o) === 0) continue
    const n = Math.min(replicasOf(o), budget)
    scaleRs(w, o, replicasOf(o) - n)
    budget -= n
  }
}

/** Recreate: every old ReplicaSet to 0, wait until their pods are gone, then the new one to full size. */
export function rolloutRecreate(w: Work, oldPodsRunning: boolean): void {
  let scaledDown = false
  for (const o of active(w)) {
    scaleRs(w, o, 0)
    scaledDown = true
  }
  if (scaledDown || oldPodsRunning || !w.newRs) return
  scaleRs(w, w.newRs, w.d.spec?.replicas ?? 1)
}

/** A replicas change mid-rollout (or while paused): spread the difference over the active ReplicaSets
 * in proportion to their size, the rest to the largest (upstream sync.go scale()). */
export function scaleProportionally(w: Work): void {
  const replicas = w.d.spec?.replicas ?? 1
  const rss: RS[] = [...(w.newRs ? [w.newRs] : []), ...w.old]
  const act = rss.filter((rs) => replicasOf(rs) > 0)
  if (act.length === 0) {
    // nothing runs: a paused or fresh scale lands on the newest ReplicaSet
    if (w.newRs && !w.d.spec?.paused) scaleRs(w, w.newRs, replicas)
    return
  }
  if (act.length === 1) {
    scaleRs(w, act[0], replicas)
    return
  }
  if (w.newRs && replicasOf(w.newRs) === replicas && (w.newRs.status?.availableReplicas ?? 0) >= replicas) {
    for (const o of w.old) scaleRs(w, o, 0)
    return
  }
  const allowed = replicas + fenceposts(w.d).surge
  const current = sumSpec(act)
  const toAdd = allowed - current
  if (toAdd === 0) return
  const sorted = [...act].sort(
    (a, b) =>
      replicasOf(b) - replicasOf(a) ||
      (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? ''),
  )
  const sizes = new Map<RS, number>()
  let added = 0
  for (const rs of sorted) {
    let share = Math.trunc((replicasOf(rs) * toAdd) / current)
    if (toAdd > 0) share = Math.min(share, toAdd - added)
    else share = Math.max(share, toAdd - added)
    sizes.set(rs, replicasOf(rs) + share)
    added += share
  }
  const first = sorted[0]
  sizes.set(first, Math.max(0, sizes.get(first)! + toAdd - added))
  for (const [rs, n] of sizes) scaleRs(w, rs, Math.max(0, n))
}
