// ControllerRevisions (upstream pkg/controller/history) for StatefulSets and DaemonSets: each distinct
// pod template is stored once as `<owner>-<hash>` with `data` = the strategic patch that restores it
// (what `kubectl rollout undo` applies) and an increasing `revision`. A template equal to an older
// revision (an undo) reuses that revision object and moves it to the top.
import type { KubeObject } from '../../registry/types.ts'
import { equalIgnoreHash } from '../deployment-util.ts'
import { controllerRef, shortHash } from './pods.ts'

export const REVISION_HASH_LABEL = 'controller-revision-hash'

export const revisionData = (template: KubeObject | undefined) => ({
  spec: { template: { ...structuredClone(template ?? {}), $patch: 'replace' } },
})

export const templateOf = (cr: KubeObject | undefined): KubeObject | undefined => {
  const t = cr?.data?.spec?.template
  if (!t) return undefined
  const { $patch: _, ...rest } = t
  return rest
}

export interface RevisionPlan {
  /** the revision the current template is (may be new, or an older one re-numbered) */
  update: KubeObject
  create?: KubeObject
  /** an existing revision re-numbered to the top */
  bump?: KubeObject
  /** revisions beyond revisionHistoryLimit not used by any pod */
  prune: KubeObject[]
}

export function planRevisions(
  owner: KubeObject,
  revisions: KubeObject[],
  inUse: Set<string>,
  collisionCount = 0,
): RevisionPlan {
  const template = owner.spec?.template
  const sorted = [...revisions].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0))
  const max = sorted.length ? (sorted[sorted.length - 1].revision ?? 0) : 0
  const equal = sorted.filter((r) => equalIgnoreHash(templateOf(r), template))
  const plan: RevisionPlan = { update: undefined as unknown as KubeObject, prune: [] }
  if (equal.length) {
    const cr = equal[equal.length - 1]
    if ((cr.revision ?? 0) < max) {
      plan.bump = { ...cr, revision: max + 1 }
      plan.update = plan.bump
    } else plan.update = cr
  } else {
    const data = revisionData(template)
    const hash = shortHash([data, collisionCount])
    plan.create = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name: `${owner.metadata?.name}-${hash}`,
        namespace: owner.metadata?.namespace,
        labels: { ...template?.metadata?.labels, 'controller.kubernetes.io/hash': hash },
        ownerReferences: [controllerRef(owner)],
      },
      data,
      revision: max + 1,
    }
    plan.update = plan.create
  }
  const limit = owner.spec?.revisionHistoryLimit ?? 10
  const keep = new Set([
    plan.update.metadata?.name,
    ...inUse,
    owner.status?.currentRevision,
    owner.status?.updateRevision,
  ])
  const candidates = sorted.filter((r) => !keep.has(r.metadata?.name))
  const extra = candidates.length - limit
  if (extra > 0) plan.prune = candidates.slice(0, extra)
  return plan
}
