// The DaemonSet plan (upstream pkg/controller/daemon): one pod per eligible node — nodeSelector,
// required node affinity and NoSchedule/NoExecute taints against the pod's tolerations plus the ones
// upstream adds to every daemon pod. Pods are pinned with a required nodeAffinity on
// `metadata.name` (ReplaceDaemonSetPodNodeNameNodeAffinity) and bound by the scheduler, as upstream.
// RollingUpdate replaces old pods within maxUnavailable.
import type { KubeObject } from '../registry/types.ts'
import { scaled } from './deployment-util.ts'
import { nodeSelectorTermsMatch } from './lib/label-selector.ts'
import { isPodAvailable, isPodReady, isTerminal, type Pod } from './lib/pods.ts'

export const DAEMON_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
]
const NETWORK_UNAVAILABLE = { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' }

interface Toleration {
  key?: string
  operator?: string
  value?: string
  effect?: string
}
interface Taint {
  key: string
  value?: string
  effect: string
}

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false
  if (t.operator === 'Exists') return !t.key || t.key === taint.key
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '')
}

/** The template's tolerations plus upstream's daemon tolerations (AddOrUpdateDaemonPodTolerations). */
export function daemonTolerations(spec: KubeObject | undefined): Toleration[] {
  const own: Toleration[] = spec?.tolerations ?? []
  const extra = [...DAEMON_TOLERATIONS, ...(spec?.hostNetwork ? [NETWORK_UNAVAILABLE] : [])]
  return [...own, ...extra.filter((x) => !own.some((t) => t.key === x.key && t.effect === x.effect))]
}

/** Should this DaemonSet run a pod on this node (nodeShouldRunDaemonPod)? */
export function shouldRun(ds: KubeObject, node: KubeObject): boolean {
  return nodeShouldRun(ds, node).run
}

/** upstream NodeShouldRunDaemonPod: `run` a new pod here; `keep` an existing one. An untolerated NoSchedule
 * taint (a node gone unreachable gets one) stops new pods but keeps running ones; only an untolerated
 * NoExecute taint, or a selector/affinity mismatch, removes them. */
export function nodeShouldRun(ds: KubeObject, node: KubeObject): { run: boolean; keep: boolean } {
  if (node.metadata?.deletionTimestamp) return { run: false, keep: false }
  const spec = ds.spec?.template?.spec ?? {}
  if (spec.nodeName && spec.nodeName !== node.metadata?.name) return { run: false, keep: false }
  const labels = node.metadata?.labels ?? {}
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return { run: false, keep: false }
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
  if (terms && !nodeSelectorTermsMatch(terms, node)) return { run: false, keep: false }
  const tolerations = daemonTolerations(spec)
  let run = true
  for (const taint of (node.spec?.taints ?? []) as Taint[]) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue
    if (tolerations.some((t) => tolerates(t, taint))) continue
    if (taint.effect === 'NoExecute') return { run: false, keep: false }
    run = false
  }
  return { run, keep: true }
}

/** The node a daemon pod is for: its binding, else its metadata.name affinity. */
export function targetNode(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName
  for (const t of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ??
    [])
    for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In') return f.values?.[0]
  return undefined
}

/** Pins a pod spec to one node through required node affinity on metadata.name. */
export function pinToNode(spec: KubeObject, node: string): KubeObject {
  const s = structuredClone(spec)
  const field = { key: 'metadata.name', operator: 'In', values: [node] }
  const req = s.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
  const terms = (req?.nodeSelectorTerms ?? []).map((t: KubeObject) => ({ ...t, matchFields: [field] }))
  s.affinity = {
    ...s.affinity,
    nodeAffinity: {
      ...s.affinity?.nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: terms.length ? terms : [{ matchFields: [field] }],
      },
    },
  }
  s.tolerations = daemonTolerations(s)
  return s
}

export interface DaemonSetPlan {
  createOn: string[]
  delete: Pod[]
  status: Record<string, any>
  requeueAfterMs?: number
}

export function planDaemonSet(
  ds: KubeObject,
  nodes: KubeObject[],
  pods: Pod[],
  updateHash: string,
  now: number,
): DaemonSetPlan {
  const plan: DaemonSetPlan = { createOn: [], delete: [], status: {} }
  const byNode = new Map<string, Pod[]>()
  for (const p of pods) {
    const n = targetNode(p)
    if (!n) continue
    const list = byNode.get(n) ?? []
    list.push(p)
    byNode.set(n, list)
  }
  const minReady = ds.spec?.minReadySeconds ?? 0
  const hashOf = (p: Pod) => p.metadata?.labels?.['controller-revision-hash']
  const deleting = !!ds.metadata?.deletionTimestamp
  let desired = 0
  let current = 0
  let misscheduled = 0
  let ready = 0
  let available = 0
  let updated = 0
  const nodeNames = new Set(nodes.map((n) => n.metadata?.name))
  const running: { node: string; pod: Pod }[] = []
  for (const node of nodes) {
    const name = node.metadata!.name!
    const here = (byNode.get(name) ?? []).filter((p) => !p.metadata?.deletionTimestamp)
    const { run, keep } = nodeShouldRun(ds, node)
    if (run) desired++
    if (!run) {
      if (here.length) misscheduled++
      if (!deleting && !keep) plan.delete.push(...here)
      continue
    }
    // failed daemon pods are deleted and recreated
    const failed = here.filter(isTerminal)
    const alive = here.filter((p) => !isTerminal(p))
    if (!deleting) plan.delete.push(...failed)
    if (alive.length === 0) {
      if (!deleting && !(byNode.get(name) ?? []).some((p) => p.metadata?.deletionTimestamp)) plan.createOn.push(name)
      continue
    }
    current++
    // more than one: keep the oldest
    const sorted = [...alive].sort((a, b) =>
      (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''),
    )
    if (!deleting) plan.delete.push(...sorted.slice(1))
    const pod = sorted[0]
    running.push({ node: name, pod })
    if (isPodReady(pod)) ready++
    if (isPodAvailable(pod, minReady, now)) available++
    if (hashOf(pod) === updateHash) updated++
  }
  // pods for nodes that no longer exist (the pod GC also removes bound ones)
  for (const [n, ps] of byNode)
    if (!nodeNames.has(n) && !deleting) plan.delete.push(...ps.filter((p) => !p.metadata?.deletionTimestamp))

  if (!deleting && (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
    const maxUnavailable = Math.max(
      1,
      scaled(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable, desired, true, '1'),
    )
    let unavailable = desired - available
    for (const { pod } of running) {
      if (hashOf(pod) === updateHash || plan.delete.includes(pod)) continue
      if (!isPodAvailable(pod, minReady, now)) {
        plan.delete.push(pod)
        continue
      }
      if (unavailable < maxUnavailable) {
        plan.delete.push(pod)
        unavailable++
      }
    }
  }
  plan.status = {
    desiredNumberScheduled: desired,
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    numberReady: ready,
    updatedNumberScheduled: updated,
    numberAvailable: available,
    numberUnavailable: Math.max(0, desired - available),
    observedGeneration: ds.metadata?.generation,
  }
  return plan
}
