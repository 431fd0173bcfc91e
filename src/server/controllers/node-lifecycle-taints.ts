// The pure part of the node lifecycle controller: which Ready status a node has once its heartbeat is
// judged, which not-ready/unreachable taints follow from it (upstream TaintNodesByCondition +
// taint-based eviction), and when a pod on a NoExecute-tainted node must go (NoExecuteTaintManager).
import type { Taint, Toleration } from 'kubernetes-types/core/v1'
import { tolerates } from '../scheduler/plugins/taint-toleration.ts'

export const NOT_READY = 'node.kubernetes.io/not-ready'
export const UNREACHABLE = 'node.kubernetes.io/unreachable'
const MANAGED = new Set([NOT_READY, UNREACHABLE])

/** The taints a node should carry for a Ready status: ours replaced, everyone else's kept. */
export function desiredTaints(current: Taint[] | undefined, ready: string | undefined, now: string): Taint[] {
  const others = (current ?? []).filter((t) => !MANAGED.has(t.key))
  const key = ready === 'False' ? NOT_READY : ready === 'Unknown' ? UNREACHABLE : undefined
  if (!key) return others
  const keep = (effect: string) =>
    (current ?? []).find((t) => t.key === key && t.effect === effect) ??
    ({ key, effect, ...(effect === 'NoExecute' ? { timeAdded: now } : {}) } as Taint)
  return [...others, keep('NoSchedule'), keep('NoExecute')]
}

export const sameTaints = (a: Taint[] | undefined, b: Taint[] | undefined) => {
  const k = (l: Taint[] | undefined) =>
    (l ?? [])
      .map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`)
      .sort()
      .join(',')
  return k(a) === k(b)
}

/**
 * When a pod on a node with these taints must be deleted: 'now', a time in ms, or undefined (never:
 * no NoExecute taint, or every one tolerated without tolerationSeconds).
 */
export function evictionTime(
  taints: Taint[] | undefined,
  tolerations: Toleration[] | undefined,
  nowMs: number,
): 'now' | number | undefined {
  const noExecute = (taints ?? []).filter((t) => t.effect === 'NoExecute')
  if (noExecute.length === 0) return undefined
  let at: number | undefined
  for (const taint of noExecute) {
    const matching = (tolerations ?? []).filter((t) => (!t.effect || t.effect === 'NoExecute') && tolerates(t, taint))
    if (matching.length === 0) return 'now'
    // upstream: the smallest tolerationSeconds of the tolerations in use; none set = forever
    const secs = matching.map((t) => t.tolerationSeconds).filter((s): s is number => s !== undefined && s !== null)
    if (secs.length === 0) continue
    const since = taint.timeAdded ? Date.parse(taint.timeAdded) : nowMs
    const t = since + Math.max(0, Math.min(...secs)) * 1000
    at = at === undefined ? t : Math.min(at, t)
  }
  if (at !== undefined && at <= nowMs) return 'now'
  return at
}

/** DefaultTolerationSeconds admission: pods tolerate not-ready/unreachable NoExecute for `seconds` unless they say otherwise. */
export function addDefaultTolerations(tolerations: Toleration[] | undefined, seconds: number): Toleration[] {
  const out = [...(tolerations ?? [])]
  for (const key of [NOT_READY, UNREACHABLE]) {
    const has = out.some(
      (t) => (!t.effect || t.effect === 'NoExecute') && (t.key === key || (!t.key && t.operator === 'Exists')),
    )
    if (!has) out.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds })
  }
  return out
}
