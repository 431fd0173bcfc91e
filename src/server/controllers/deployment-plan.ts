// The Deployment plan (upstream pkg/controller/deployment: sync.go, rolling.go, recreate.go,
// progress.go) as one pure function: given the Deployment, its ReplicaSets and their pods, which
// ReplicaSet to create, which to rescale or re-annotate, which old ones to delete, and the status.
import type { KubeObject } from '../registry/types.ts'
import { rolloutRecreate, rolloutRolling, scaleProportionally } from './deployment-rollout.ts'
import { deploymentStatus } from './deployment-status.ts'
import {
  byCreation,
  copiedAnnotations,
  DESIRED_REPLICAS,
  equalIgnoreHash,
  fenceposts,
  HASH_LABEL,
  MAX_REPLICAS,
  REVISION,
  REVISION_HISTORY,
  type RS,
  replicasOf,
  revisionOf,
} from './deployment-util.ts'
import { isPodActive, type Pod, shortHash } from './lib/pods.ts'

export interface PlanEvent {
  type: 'Normal' | 'Warning'
  reason: string
  message: string
}

export interface DeploymentPlan {
  create?: RS
  /** ReplicaSets to PUT (replicas or annotations changed) */
  update: RS[]
  delete: RS[]
  /** the Deployment's revision annotation when it changes */
  revision?: string
  status: Record<string, any>
  events: PlanEvent[]
  requeueAfterMs?: number
}

/** Working state shared by the strategy steps: ReplicaSets as they will be after the plan. */
export interface Work {
  d: KubeObject
  newRs?: RS
  old: RS[]
  changed: Set<RS>
  events: PlanEvent[]
}

export function scaleRs(w: Work, rs: RS, to: number): void {
  const from = replicasOf(rs)
  if (from === to) return
  rs.spec = { ...rs.spec, replicas: to }
  annotateReplicas(w, rs)
  w.changed.add(rs)
  const dir = to > from ? 'up' : 'down'
  w.events.push({
    type: 'Normal',
    reason: 'ScalingReplicaSet',
    message: `Scaled ${dir} replica set ${rs.metadata?.name} from ${from} to ${to}`,
  })
}

function annotateReplicas(w: Work, rs: RS): boolean {
  const replicas = w.d.spec?.replicas ?? 1
  const ann = rs.metadata?.annotations ?? {}
  const desired = String(replicas)
  const max = String(replicas + fenceposts(w.d).surge)
  if (ann[DESIRED_REPLICAS] === desired && ann[MAX_REPLICAS] === max) return false
  rs.metadata = { ...rs.metadata, annotations: { ...ann, [DESIRED_REPLICAS]: desired, [MAX_REPLICAS]: max } }
  w.changed.add(rs)
  return true
}

/** `<deployment>-<hash of template and collisionCount>`, the name and pod-template-hash label of the new RS. */
export const templateHash = (d: KubeObject) => shortHash([d.spec?.template, d.status?.collisionCount ?? 0])

export function planDeployment(d: KubeObject, rss: RS[], pods: Pod[], now: number): DeploymentPlan {
  const all = rss.map((rs) => structuredClone(rs)).sort(byCreation)
  const existingNew = all.find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template))
  const w: Work = { d, newRs: existingNew, old: all.filter((rs) => rs !== existingNew), changed: new Set(), events: [] }
  const plan: DeploymentPlan = { update: [], delete: [], status: {}, events: w.events }
  const paused = !!d.spec?.paused
  const deleting = !!d.metadata?.deletionTimestamp
  const maxOldRevision = Math.max(0, ...w.old.map(revisionOf))
  let createdNew = false

  if (!deleting) {
    // the new ReplicaSet carries the highest revision; an old template coming back (rollout undo)
    // takes a new revision and remembers its former one
    if (w.newRs) syncNewRevision(w, w.newRs, maxOldRevision)
    const scalingEvent = [...(w.newRs ? [w.newRs] : []), ...w.old].some(
      (rs) => replicasOf(rs) > 0 && rs.metadata?.annotations?.[DESIRED_REPLICAS] !== String(d.spec?.replicas ?? 1),
    )
    if (paused || scalingEvent) {
      scaleProportionally(w)
    } else if (d.spec?.strategy?.type === 'Recreate') {
      const oldPodsRunning = pods.some(
        (p) =>
          isPodActive(p) &&
          w.old.some((rs) => p.metadata?.ownerReferences?.some((o: any) => o.uid === rs.metadata?.uid)),
      )
      if (!w.newRs && !w.old.some((rs) => replicasOf(rs) > 0) && !oldPodsRunning) {
        w.newRs = newReplicaSet(d, maxOldRevision, 0)
        createdNew = true
      }
      rolloutRecreate(w, oldPodsRunning)
    } else {
      if (!w.newRs) {
        w.newRs = newReplicaSet(d, maxOldRevision, 0)
        createdNew = true
      }
      rolloutRolling(w)
    }
    for (const rs of [...(w.newRs ? [w.newRs] : []), ...w.old]) if (replicasOf(rs) > 0) annotateReplicas(w, rs)
  }

  if (createdNew && w.newRs) {
    plan.create = w.newRs
    w.changed.delete(w.newRs)
  }
  plan.update = [...w.changed]
  const complete = !paused && isComplete(d, w)
  if (!deleting && (complete || paused)) plan.delete = historyCleanup(d, w)
  const newRevision = w.newRs?.metadata?.annotations?.[REVISION]
  if (newRevision && d.metadata?.annotations?.[REVISION] !== newRevision) plan.revision = newRevision
  const s = deploymentStatus(d, w, createdNew, now)
  plan.status = s.status
  plan.requeueAfterMs = s.requeueAfterMs
  return plan
}

function syncNewRevision(w: Work, rs: RS, maxOldRevision: number): void {
  const current = revisionOf(rs)
  const ann = { ...rs.metadata?.annotations, ...copiedAnnotations(w.d) }
  if (current <= maxOldRevision) {
    ann[REVISION] = String(maxOldRevision + 1)
    if (current > 0) {
      const history = ann[REVISION_HISTORY] ? ann[REVISION_HISTORY].split(',') : []
      ann[REVISION_HISTORY] = [...history, String(current)].join(',')
    }
  }
  const before = JSON.stringify(rs.metadata?.annotations ?? {})
  if (JSON.stringify(ann) !== before) {
    rs.metadata = { ...rs.metadata, annotations: ann }
    w.changed.add(rs)
  }
}

function newReplicaSet(d: KubeObject, maxOldRevision: number, replicas: number): RS {
  const hash = templateHash(d)
  const template = structuredClone(d.spec?.template ?? {})
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [HASH_LABEL]: hash } }
  const selector = structuredClone(d.spec?.selector ?? {})
  selector.matchLabels = { ...selector.matchLabels, [HASH_LABEL]: hash }
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata?.name}-${hash}`,
      namespace: d.metadata?.namespace,
      labels: { ...template.metadata.labels },
      annotations: { ...copiedAnnotations(d), [REVISION]: String(maxOldRevision + 1) },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: d.metadata?.name ?? '',
          uid: d.metadata?.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: { replicas, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  }
}

/** DeploymentComplete: the new ReplicaSet has every replica, updated and available, and nothing else runs. */
export function isComplete(d: KubeObject, w: Work): boolean {
  const replicas = d.spec?.replicas ?? 1
  const rs = w.newRs
  if (!rs) return replicas === 0 && w.old.every((o) => (o.status?.replicas ?? 0) === 0)
  return (
    replicasOf(rs) === replicas &&
    (rs.status?.replicas ?? 0) === replicas &&
    (rs.status?.availableReplicas ?? 0) >= replicas &&
    w.old.every((o) => replicasOf(o) === 0 && (o.status?.replicas ?? 0) === 0)
  )
}

/** Old, empty ReplicaSets beyond revisionHistoryLimit, oldest revision first (cleanupDeployment). */
function historyCleanup(d: KubeObject, w: Work): RS[] {
  const limit = d.spec?.revisionHistoryLimit ?? 10
  const empty = w.old
    .filter((rs) => replicasOf(rs) === 0 && (rs.status?.replicas ?? 0) === 0 && !rs.metadata?.deletionTimestamp)
    .sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b))
  const extra = w.old.filter((rs) => !rs.metadata?.deletionTimestamp).length - limit
  return extra > 0 ? empty.slice(0, extra) : []
}
