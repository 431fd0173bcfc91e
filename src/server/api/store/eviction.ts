// The eviction subresource's PodDisruptionBudget check (upstream pkg/registry/core/pod/storage/eviction.go):
// a pod covered by a budget may go only while status.disruptionsAllowed > 0, which the eviction
// decrements (recording the pod in status.disruptedPods) before the delete; otherwise 429, which
// `kubectl drain` retries. A pod that is not Ready may go while the budget is healthy (the default
// unhealthyPodEvictionPolicy IfHealthyBudget), and a finished pod always.
import { ApiError } from '../../../shared/errors.ts'
import type { KubeObject } from '../../registry/types.ts'
import type { RequestContext, ResourceStore } from './types.ts'

const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget."

function matches(sel: KubeObject | undefined | null, labels: Record<string, string> = {}): boolean {
  if (!sel) return false
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false
  for (const r of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, r.key)
    const inValues = (r.values ?? []).includes(labels[r.key])
    if (r.operator === 'In' && !(has && inValues)) return false
    if (r.operator === 'NotIn' && has && inValues) return false
    if (r.operator === 'Exists' && !has) return false
    if (r.operator === 'DoesNotExist' && has) return false
  }
  return true
}

const tooMany = (message: string, cause?: string) =>
  new ApiError(429, 'TooManyRequests', message, {
    ...(cause ? { causes: [{ reason: 'DisruptionBudget', message: cause }] } : {}),
  })

/** Throws 429/500 when the eviction may not proceed; records the disruption in the budget otherwise. */
export async function admitEviction(pdbs: ResourceStore, pod: KubeObject, ctx: RequestContext): Promise<void> {
  const phase = pod.status?.phase
  if (phase === 'Succeeded' || phase === 'Failed' || pod.metadata?.deletionTimestamp) return
  const ns = pod.metadata?.namespace
  for (let attempt = 1; ; attempt++) {
    try {
      return await admitOnce(pdbs, pod, ns, ctx)
    } catch (err) {
      // the budget changed under us (another eviction, the disruption controller): read it again
      if (!(err instanceof ApiError && err.code === 409 && err.reason === 'Conflict') || attempt >= 5) throw err
    }
  }
}

async function admitOnce(
  pdbs: ResourceStore,
  pod: KubeObject,
  ns: string | undefined,
  ctx: RequestContext,
): Promise<void> {
  {
    const { items } = await pdbs.list(ns, { resourceVersion: '' })
    const covering = items.filter((p) => matches(p.spec?.selector, pod.metadata?.labels))
    if (covering.length === 0) return
    if (covering.length > 1)
      throw new ApiError(
        500,
        'InternalError',
        'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      )
    const pdb = structuredClone(covering[0])
    const s = pdb.status ?? {}
    const ready = (pod.status?.conditions ?? []).some(
      (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
    )
    if (!ready) {
      if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return
      if (
        (s.currentHealthy ?? 0) >= (s.desiredHealthy ?? 0) &&
        (s.observedGeneration ?? 0) >= (pdb.metadata?.generation ?? 0)
      )
        return
    }
    if ((s.observedGeneration ?? 0) < (pdb.metadata?.generation ?? 0))
      throw tooMany(VIOLATION, `The disruption budget ${pdb.metadata?.name} is still being processed by the server.`)
    if ((s.disruptionsAllowed ?? 0) <= 0)
      throw tooMany(
        VIOLATION,
        `The disruption budget ${pdb.metadata?.name} needs ${s.desiredHealthy ?? 0} healthy pods and has ${s.currentHealthy ?? 0} currently`,
      )
    if (ctx.dryRun) return
    pdb.status = {
      ...s,
      disruptionsAllowed: s.disruptionsAllowed - 1,
      disruptedPods: { ...s.disruptedPods, [pod.metadata!.name!]: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') },
    }
    await pdbs.update(ns, pdb.metadata!.name!, pdb, ctx, 'status')
  }
}
