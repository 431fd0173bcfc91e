// One scheduling cycle as upstream's framework runs it: prepare every plugin, filter nodes until enough
// feasible ones are found (percentageOfNodesToScore), score them, add the weighted normalized scores and
// pick the best (ties broken at random).
import { defaultPlugins } from './plugins/index.ts'
import type { ClusterView, FilterFailure, NodeInfo, Plugin, Pod } from './types.ts'

export interface Prepared {
  plugins: { plugin: Plugin; state: unknown }[]
}

export type CycleResult =
  | { node: NodeInfo; feasible: number }
  | { node?: undefined; failures: Map<string, FilterFailure>; nodes: number }

export function preparePlugins(pod: Pod, view: ClusterView, plugins = defaultPlugins): Prepared {
  const out: Prepared['plugins'] = []
  for (const plugin of plugins) {
    const state = plugin.prepare ? plugin.prepare(pod, view) : true
    if (state !== undefined) out.push({ plugin, state })
  }
  return { plugins: out }
}

/** Every filter's reasons for one node (undefined = the pod fits); stops at the first failing plugin. */
export function filterNode(pod: Pod, node: NodeInfo, prepared: Prepared, view: ClusterView): FilterFailure | undefined {
  for (const { plugin, state } of prepared.plugins) {
    const f = plugin.filter?.(pod, node, state, view)
    if (f) return f
  }
  return undefined
}

/** upstream numFeasibleNodesToFind with the adaptive percentage (50% − nodes/125, at least 5%, at least 100 nodes). */
export function feasibleNodesToFind(all: number): number {
  if (all < 100) return all
  const pct = Math.max(5, 50 - Math.floor(all / 125))
  return Math.max(100, Math.floor((all * pct) / 100))
}

export interface CycleOptions {
  plugins?: Plugin[]
  /** where to start scanning nodes (upstream rotates it so load spreads over the whole cluster) */
  start?: number
  random?: () => number
}

export function runCycle(pod: Pod, view: ClusterView, o: CycleOptions = {}): CycleResult {
  const prepared = preparePlugins(pod, view, o.plugins)
  const nodes = view.nodes
  const want = feasibleNodesToFind(nodes.length)
  const feasible: NodeInfo[] = []
  const failures = new Map<string, FilterFailure>()
  const start = o.start ?? 0
  for (let i = 0; i < nodes.length && feasible.length < want; i++) {
    const node = nodes[(start + i) % nodes.length]
    const f = filterNode(pod, node, prepared, view)
    if (f) failures.set(node.node.metadata?.name ?? '', f)
    else feasible.push(node)
  }
  if (feasible.length === 0) return { failures, nodes: nodes.length }
  if (feasible.length === 1) return { node: feasible[0], feasible: 1 }
  const totals = scoreNodes(pod, feasible, prepared, view)
  return { node: pickBest(feasible, totals, o.random ?? Math.random), feasible: feasible.length }
}

export function scoreNodes(pod: Pod, nodes: NodeInfo[], prepared: Prepared, view: ClusterView): number[] {
  const totals = new Array<number>(nodes.length).fill(0)
  for (const { plugin, state } of prepared.plugins) {
    if (!plugin.score) continue
    const scores = nodes.map((n) => plugin.score!(pod, n, state, view))
    plugin.normalize?.(scores)
    const w = plugin.weight ?? 1
    for (let i = 0; i < nodes.length; i++) totals[i] += scores[i] * w
  }
  return totals
}

/** Highest total wins; equal totals are chosen uniformly (upstream's reservoir sampling). */
export function pickBest<T>(items: T[], totals: number[], random: () => number): T {
  let best = 0
  let ties = 1
  for (let i = 1; i < items.length; i++) {
    if (totals[i] > totals[best]) {
      best = i
      ties = 1
    } else if (totals[i] === totals[best]) {
      ties++
      if (random() * ties < 1) best = i
    }
  }
  return items[best]
}
