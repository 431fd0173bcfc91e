// InterPodAffinity: required pod affinity / anti-affinity by topologyKey, and existing pods' required
// anti-affinity against the incoming pod (filter); preferred terms (score, weight 2). Counts per topology
// value are computed once per pod (upstream PreFilter), so each node check is a few map lookups.
import { labelSelectorMatches } from '../selectors.ts'
import type { ClusterView, NodeInfo, Plugin, Pod, PodAffinityTerm } from '../types.ts'
import { minMaxNormalize } from './normalize.ts'

type Counts = Map<string, Map<string, number>>

interface AffinityState {
  affinity: PodAffinityTerm[]
  affinityCounts: Counts
  anti: PodAffinityTerm[]
  antiCounts: Counts
  existingAntiCounts: Counts
  preferred: Counts
}

/** Does `pod` match the term written in a pod of namespace `ownerNs`? */
export function termMatches(term: PodAffinityTerm, ownerNs: string | undefined, pod: Pod): boolean {
  const ns = pod.metadata?.namespace
  const anyNs = term.namespaceSelector && Object.keys(term.namespaceSelector).length === 0
  const namespaces = term.namespaces?.length ? term.namespaces : term.namespaceSelector ? [] : [ownerNs]
  if (!anyNs && !namespaces.includes(ns)) return false
  return labelSelectorMatches(term.labelSelector, pod.metadata?.labels)
}

function bump(c: Counts, key: string, value: string | undefined, by = 1): void {
  if (value === undefined) return
  let m = c.get(key)
  if (!m) c.set(key, (m = new Map()))
  m.set(value, (m.get(value) ?? 0) + by)
}

const countAt = (c: Counts, info: NodeInfo, key: string) => {
  const v = info.node.metadata?.labels?.[key]
  return v === undefined ? 0 : (c.get(key)?.get(v) ?? 0)
}

const required = (a: any): PodAffinityTerm[] => a?.requiredDuringSchedulingIgnoredDuringExecution ?? []
const preferred = (a: any): { weight: number; podAffinityTerm: PodAffinityTerm }[] =>
  a?.preferredDuringSchedulingIgnoredDuringExecution ?? []

function prepare(pod: Pod, view: ClusterView): AffinityState | undefined {
  const a = pod.spec?.affinity
  const s: AffinityState = {
    affinity: required(a?.podAffinity),
    affinityCounts: new Map(),
    anti: required(a?.podAntiAffinity),
    antiCounts: new Map(),
    existingAntiCounts: new Map(),
    preferred: new Map(),
  }
  const ns = pod.metadata?.namespace
  for (const { pod: other, node } of view.podsWithAffinity) {
    for (const t of required(other.spec?.affinity?.podAntiAffinity))
      if (termMatches(t, other.metadata?.namespace, pod))
        bump(s.existingAntiCounts, t.topologyKey, node.node.metadata?.labels?.[t.topologyKey])
  }
  const pref = [
    ...preferred(a?.podAffinity).map((p) => ({ ...p, sign: 1 })),
    ...preferred(a?.podAntiAffinity).map((p) => ({ ...p, sign: -1 })),
  ]
  if (!s.affinity.length && !s.anti.length && !pref.length) return s.existingAntiCounts.size ? s : undefined
  for (const node of view.nodes) {
    const labels = node.node.metadata?.labels ?? {}
    for (const other of node.pods.values()) {
      if (other.metadata?.deletionTimestamp) continue
      for (const t of s.affinity)
        if (termMatches(t, ns, other)) bump(s.affinityCounts, t.topologyKey, labels[t.topologyKey])
      for (const t of s.anti) if (termMatches(t, ns, other)) bump(s.antiCounts, t.topologyKey, labels[t.topologyKey])
      for (const p of pref)
        if (termMatches(p.podAffinityTerm, ns, other))
          bump(s.preferred, p.podAffinityTerm.topologyKey, labels[p.podAffinityTerm.topologyKey], p.sign * p.weight)
    }
  }
  return s
}

export const interPodAffinity: Plugin<AffinityState> = {
  name: 'InterPodAffinity',
  weight: 2,
  prepare,
  // upstream Filter order: the pod's affinity, its anti-affinity, then existing pods' anti-affinity (a
  // Deployment spreading itself with anti-affinity reads "didn't match pod anti-affinity rules")
  filter(pod, info, s) {
    if (s.affinity.length) {
      const labels = info.node.metadata?.labels ?? {}
      const hasKeys = s.affinity.every((t) => labels[t.topologyKey] !== undefined)
      // upstream: the first pod of a group that matches its own affinity terms may go anywhere
      const noneAnywhere =
        s.affinityCounts.size === 0 && s.affinity.every((t) => termMatches(t, pod.metadata?.namespace, pod))
      const ok =
        hasKeys && (noneAnywhere || s.affinity.every((t) => countAt(s.affinityCounts, info, t.topologyKey) > 0))
      if (!ok) return { reasons: ["node(s) didn't match pod affinity rules"], resolvable: false }
    }
    for (const t of s.anti)
      if (countAt(s.antiCounts, info, t.topologyKey) > 0)
        return { reasons: ["node(s) didn't match pod anti-affinity rules"], resolvable: true }
    for (const [key, m] of s.existingAntiCounts) {
      const v = info.node.metadata?.labels?.[key]
      if (v !== undefined && (m.get(v) ?? 0) > 0)
        return { reasons: ["node(s) didn't satisfy existing pods anti-affinity rules"], resolvable: true }
    }
    return undefined
  },
  score(_pod, info, s) {
    let sum = 0
    for (const [key, m] of s.preferred) {
      const v = info.node.metadata?.labels?.[key]
      if (v !== undefined) sum += m.get(v) ?? 0
    }
    return sum
  },
  normalize: minMaxNormalize,
}
