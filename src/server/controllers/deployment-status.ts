// Deployment status and its Available / Progressing conditions (upstream sync.go calculateStatus and
// progress.go syncRolloutStatus), with upstream's reasons and messages, which kubectl rollout status reads.
import type { KubeObject } from '../registry/types.ts'
import { isComplete, type Work } from './deployment-plan.ts'
import { type Cond, maxUnavailable, setCondition, sumSpec, sumStatus } from './deployment-util.ts'
import { nowRfc3339 } from './lib/pods.ts'

const NO_DEADLINE = 2147483647

export function deploymentStatus(
  d: KubeObject,
  w: Work,
  createdNew: boolean,
  nowMs: number,
): { status: Record<string, any>; requeueAfterMs?: number } {
  const now = nowRfc3339(nowMs)
  const replicas = d.spec?.replicas ?? 1
  const all = [...(w.newRs ? [w.newRs] : []), ...w.old]
  const available = sumStatus(all, 'availableReplicas')
  const old = d.status ?? {}
  const status: Record<string, any> = {
    observedGeneration: d.metadata?.generation,
    replicas: sumStatus(all, 'replicas'),
    updatedReplicas: w.newRs?.status?.replicas ?? 0,
    readyReplicas: sumStatus(all, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sumSpec(all) - available),
  }
  if (old.collisionCount !== undefined) status.collisionCount = old.collisionCount
  let conds: Cond[] = structuredClone(old.conditions ?? [])
  conds =
    available >= replicas - maxUnavailable(d)
      ? setCondition(
          conds,
          {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          },
          now,
        )
      : setCondition(
          conds,
          {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
          now,
        )

  const deadline = d.spec?.progressDeadlineSeconds ?? 600
  const name = w.newRs?.metadata?.name
  let requeueAfterMs: number | undefined
  const progressing = () => conds.find((c) => c.type === 'Progressing')
  if (d.spec?.paused) {
    if (progressing()?.reason !== 'DeploymentPaused')
      conds = setCondition(
        conds,
        { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' },
        now,
      )
  } else if (deadline !== NO_DEADLINE) {
    if (progressing()?.reason === 'DeploymentPaused')
      conds = setCondition(
        conds,
        { type: 'Progressing', status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' },
        now,
      )
    if (createdNew && name)
      conds = setCondition(
        conds,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetCreated',
          message: `Created new replica set "${name}"`,
        },
        now,
      )
    else if (!progressing() && name)
      conds = setCondition(
        conds,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'FoundNewReplicaSet',
          message: `Found new replica set "${name}"`,
        },
        now,
      )
    const moved =
      status.updatedReplicas > (old.updatedReplicas ?? 0) ||
      status.replicas - status.updatedReplicas < (old.replicas ?? 0) - (old.updatedReplicas ?? 0) ||
      status.readyReplicas > (old.readyReplicas ?? 0) ||
      status.availableReplicas > (old.availableReplicas ?? 0)
    const complete = isComplete(d, w) && (d.metadata?.generation ?? 0) <= (status.observedGeneration ?? 0)
    if (complete && name) {
      conds = setCondition(
        conds,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${name}" has successfully progressed.`,
        },
        now,
      )
    } else if (complete && !name) {
      // scaled to zero with nothing left: nothing is progressing, nothing timed out
    } else if (moved && name) {
      conds = setCondition(
        conds,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${name}" is progressing.`,
        },
        now,
        true,
      )
    } else {
      const cur = progressing()
      if (
        cur &&
        cur.reason !== 'NewReplicaSetAvailable' &&
        cur.reason !== 'ProgressDeadlineExceeded' &&
        cur.status !== 'Unknown'
      ) {
        const from = Date.parse(cur.lastUpdateTime ?? now)
        const due = from + deadline * 1000
        if (due <= nowMs)
          conds = setCondition(
            conds,
            {
              type: 'Progressing',
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
              message: `ReplicaSet "${name}" has timed out progressing.`,
            },
            now,
          )
        else requeueAfterMs = due - nowMs + 1000
      }
    }
    const cur = progressing()
    if (!complete && cur?.status === 'True' && requeueAfterMs === undefined)
      requeueAfterMs = Math.max(1000, Date.parse(cur.lastUpdateTime ?? now) + deadline * 1000 - nowMs + 1000)
  }
  status.conditions = conds
  return { status, requeueAfterMs }
}
