// Preemption (upstream DefaultPreemption, without PDBs): on nodes whose failures preemption could fix,
// remove every lower-priority pod, check the pod fits, then give back ("reprieve") as many victims as
// possible, highest priority first. The best node has the lowest highest-victim priority, then the
// smallest priority sum, then the fewest victims.
import { NO_VICTIMS, NOT_HELPFUL } from './failure-message.ts'
import { filterNode, type Prepared } from './framework.ts'
import { addPod, cloneNodeInfo, removePod } from './node-info.ts'
import type { ClusterView, FilterFailure, NodeInfo, Pod } from './types.ts'

export const podPriority = (p: Pod) => p.spec?.priority ?? 0
const uidOf = (p: Pod) => p.metadata?.uid ?? `${p.metadata?.namespace}/${p.metadata?.name}`

export interface PreemptionPlan {
  node: NodeInfo
  victims: Pod[]
}

export type PreemptionResult = { plan: PreemptionPlan } | { plan?: undefined; reasons: Map<string, number> }

export function selectVictims(pod: Pod, info: NodeInfo, prepared: Prepared, view: ClusterView): Pod[] | undefined {
  const prio = podPriority(pod)
  const trial = cloneNodeInfo(info)
  const lower = [...trial.pods.values()].filter((p) => podPriority(p) < prio && !p.metadata?.deletionTimestamp)
  if (lower.length === 0) return undefined
  for (const p of lower) removePod(trial, uidOf(p))
  if (filterNode(pod, trial, prepared, view)) return undefined
  const victims: Pod[] = []
  for (const p of lower.sort((a, b) => podPriority(b) - podPriority(a))) {
    addPod(trial, p)
    if (filterNode(pod, trial, prepared, view)) {
      removePod(trial, uidOf(p))
      victims.push(p)
    }
  }
  return victims
}

export function findPreemption(
  pod: Pod,
  view: ClusterView,
  failures: Map<string, FilterFailure>,
  prepared: Prepared,
): PreemptionResult {
  const reasons = new Map<string, number>()
  const bump = (r: string) => reasons.set(r, (reasons.get(r) ?? 0) + 1)
  let best: PreemptionPlan | undefined
  for (const info of view.nodes) {
    const f = failures.get(info.node.metadata?.name ?? '')
    if (!f) continue
    if (!f.resolvable) {
      bump(NOT_HELPFUL)
      continue
    }
    const victims = selectVictims(pod, info, prepared, view)
    if (!victims?.length) {
      bump(NO_VICTIMS)
      continue
    }
    if (!best || better(victims, best.victims)) best = { node: info, victims }
  }
  return best ? { plan: best } : { reasons }
}

function better(a: Pod[], b: Pod[]): boolean {
  const top = (v: Pod[]) => Math.max(...v.map(podPriority))
  const sum = (v: Pod[]) => v.reduce((s, p) => s + podPriority(p), 0)
  if (top(a) !== top(b)) return top(a) < top(b)
  if (sum(a) !== sum(b)) return sum(a) < sum(b)
  return a.length < b.length
}
