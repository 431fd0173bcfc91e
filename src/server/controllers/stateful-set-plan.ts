// The StatefulSet plan (upstream pkg/controller/statefulset, stateful_set_control.go): pods named
// `<set>-<ordinal>` with stable hostnames and PVCs `<claim>-<pod>`; OrderedReady creates one pod at a
// time in ordinal order and waits for it to be Running and Ready, scales down from the highest ordinal;
// Parallel does everything at once. RollingUpdate replaces pods from the highest ordinal down to the
// partition, one at a time; OnDelete only gives new pods the new revision.
import type { KubeObject } from '../registry/types.ts'
import { REVISION_HASH_LABEL } from './lib/controller-revisions.ts'
import { controllerRef, isPodAvailable, isPodReady, isTerminal, type Pod } from './lib/pods.ts'

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name'
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index'

export interface StatefulSetPlan {
  /** ordinals to create (with the revision each gets) */
  create: { ordinal: number; revision: 'current' | 'update' }[]
  delete: Pod[]
  claims: KubeObject[]
  status: Record<string, any>
}

export const ordinalOf = (set: KubeObject, pod: Pod): number | undefined => {
  const prefix = `${set.metadata?.name}-`
  const n = pod.metadata?.name ?? ''
  if (!n.startsWith(prefix)) return undefined
  const rest = n.slice(prefix.length)
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined
}

const runningAndReady = (p: Pod) => p.status?.phase === 'Running' && isPodReady(p)

export function planStatefulSet(
  set: KubeObject,
  pods: Pod[],
  claimsPresent: Set<string>,
  rev: { current: string; update: string },
  now: number,
): StatefulSetPlan {
  const replicas: number = set.spec?.replicas ?? 1
  const start: number = set.spec?.ordinals?.start ?? 0
  const parallel = set.spec?.podManagementPolicy === 'Parallel'
  const strategy = set.spec?.updateStrategy?.type ?? 'RollingUpdate'
  const partition: number = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0
  const plan: StatefulSetPlan = { create: [], delete: [], claims: [], status: {} }
  const byOrdinal = new Map<number, Pod>()
  const condemned: Pod[] = []
  for (const p of pods) {
    const o = ordinalOf(set, p)
    if (o === undefined) continue
    if (o >= start && o < start + replicas) byOrdinal.set(o, p)
    else condemned.push(p)
  }
  const revisionOf = (p: Pod) => p.metadata?.labels?.[REVISION_HASH_LABEL]
  const deleting = !!set.metadata?.deletionTimestamp
  let halted = false
  if (!deleting) {
    for (let o = start; o < start + replicas; o++) {
      const p = byOrdinal.get(o)
      const podName = `${set.metadata?.name}-${o}`
      // upstream creates a pod's claims with the pod, and again for a Pending pod that lost one
      // (createMissingPersistentVolumeClaims); never ahead of an OrderedReady pod not yet due
      const addClaims = () => {
        for (const t of set.spec?.volumeClaimTemplates ?? []) {
          const claim = `${t.metadata?.name}-${podName}`
          if (!claimsPresent.has(claim) && !plan.claims.some((c) => c.metadata?.name === claim))
            plan.claims.push(claimFor(set, t, podName))
        }
      }
      if (!p || (p.status?.phase ?? 'Pending') === 'Pending') {
        if (!p && halted) break
        addClaims()
      }
      if (!p) {
        const revision = strategy === 'RollingUpdate' && o < start + partition ? 'current' : 'update'
        plan.create.push({ ordinal: o, revision })
        if (!parallel) halted = true
        continue
      }
      // a failed or succeeded pod is deleted and recreated (upstream: "recreating failed pod")
      if (isTerminal(p) && !p.metadata?.deletionTimestamp) {
        plan.delete.push(p)
        if (!parallel) halted = true
        continue
      }
      if (!parallel && (!runningAndReady(p) || p.metadata?.deletionTimestamp)) halted = true
    }
    // scale down: the highest ordinal first, and with OrderedReady only when everything else is healthy
    const down = condemned
      .filter((p) => !p.metadata?.deletionTimestamp)
      .sort((a, b) => ordinalOf(set, b)! - ordinalOf(set, a)!)
    if (parallel) plan.delete.push(...down)
    else if (!halted && down.length && !condemned.some((p) => p.metadata?.deletionTimestamp)) plan.delete.push(down[0])
    // rolling update, highest ordinal first, down to the partition
    const allThere = plan.create.length === 0 && plan.delete.length === 0 && condemned.length === 0
    if (strategy === 'RollingUpdate' && allThere && (parallel || !halted)) {
      const healthyBelow = (o: number) => {
        for (let i = start; i < o; i++) {
          const q = byOrdinal.get(i)
          if (!q || !runningAndReady(q) || q.metadata?.deletionTimestamp) return false
        }
        return true
      }
      for (let o = start + replicas - 1; o >= start + partition; o--) {
        const p = byOrdinal.get(o)!
        if (revisionOf(p) === rev.update) {
          if (!parallel && (!runningAndReady(p) || p.metadata?.deletionTimestamp)) break
          continue
        }
        if (p.metadata?.deletionTimestamp) break
        if (parallel || healthyBelow(o)) plan.delete.push(p)
        break
      }
    }
  }
  const live = pods.filter((p) => ordinalOf(set, p) !== undefined)
  const counted = live.filter((p) => !isTerminal(p))
  const minReady = set.spec?.minReadySeconds ?? 0
  const currentReplicas = counted.filter((p) => revisionOf(p) === rev.current).length
  const updatedReplicas = counted.filter((p) => revisionOf(p) === rev.update).length
  const complete =
    updatedReplicas === replicas &&
    counted.length === replicas &&
    counted.every((p) => isPodReady(p)) &&
    strategy === 'RollingUpdate'
  plan.status = {
    observedGeneration: set.metadata?.generation,
    replicas: counted.length,
    readyReplicas: counted.filter(isPodReady).length,
    availableReplicas: counted.filter((p) => isPodAvailable(p, minReady, now)).length,
    currentReplicas: complete ? updatedReplicas : currentReplicas,
    updatedReplicas,
    currentRevision: complete || !set.status?.currentRevision ? rev.update : rev.current,
    updateRevision: rev.update,
    collisionCount: set.status?.collisionCount ?? 0,
  }
  return plan
}

function claimFor(set: KubeObject, t: KubeObject, podName: string): KubeObject {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy ?? {}
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: `${t.metadata?.name}-${podName}`,
      namespace: set.metadata?.namespace,
      labels: { ...t.metadata?.labels, ...set.spec?.selector?.matchLabels },
      ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
      // whenDeleted: Delete makes the set own its claims, so the garbage collector removes them with it
      ...(policy.whenDeleted === 'Delete'
        ? {
            ownerReferences: [
              { ...controllerRef({ apiVersion: 'apps/v1', kind: 'StatefulSet', ...set }), controller: true },
            ],
          }
        : {}),
    },
    spec: structuredClone(t.spec ?? {}),
  }
}

/** The pod for an ordinal from a template: stable name, hostname, subdomain, claims, labels. */
export function statefulPod(set: KubeObject, template: KubeObject | undefined, ordinal: number, revision: string): Pod {
  const name = `${set.metadata?.name}-${ordinal}`
  const t = structuredClone(template ?? {})
  const spec = t.spec ?? {}
  const claims = (set.spec?.volumeClaimTemplates ?? []).map((c: KubeObject) => ({
    name: c.metadata?.name,
    persistentVolumeClaim: { claimName: `${c.metadata?.name}-${name}` },
  }))
  const names = new Set(claims.map((c: { name: string }) => c.name))
  spec.volumes = [...(spec.volumes ?? []).filter((v: { name: string }) => !names.has(v.name)), ...claims]
  if (spec.volumes.length === 0) delete spec.volumes
  spec.hostname = name
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata?.namespace,
      labels: {
        ...t.metadata?.labels,
        [REVISION_HASH_LABEL]: revision,
        [POD_NAME_LABEL]: name,
        [POD_INDEX_LABEL]: String(ordinal),
      },
      ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
      ownerReferences: [controllerRef({ apiVersion: 'apps/v1', kind: 'StatefulSet', ...set })],
    },
    spec,
  }
}
