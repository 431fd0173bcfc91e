// metav1.LabelSelector and core/v1 NodeSelector matching, as upstream's labels.SelectorFromSet /
// LabelSelectorAsSelector and nodeaffinity do. An empty LabelSelector selects everything; a missing
// one selects nothing (controllers treat that as "no selector").
import type { KubeObject } from '../../registry/types.ts'

export interface LabelSelectorRequirement {
  key: string
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'
  values?: string[]
}
export interface LabelSelectorObj {
  matchLabels?: Record<string, string>
  matchExpressions?: LabelSelectorRequirement[]
}

export function selectorMatches(
  sel: LabelSelectorObj | undefined | null,
  labels: Record<string, string> = {},
): boolean {
  if (!sel) return false
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false
  for (const r of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, r.key)
    const v = labels[r.key]
    if (r.operator === 'In' && !(has && (r.values ?? []).includes(v))) return false
    if (r.operator === 'NotIn' && has && (r.values ?? []).includes(v)) return false
    if (r.operator === 'Exists' && !has) return false
    if (r.operator === 'DoesNotExist' && has) return false
  }
  return true
}

/** A map selector (ReplicationController, Service): an empty or missing map selects nothing. */
export function mapSelectorMatches(
  sel: Record<string, string> | undefined,
  labels: Record<string, string> = {},
): boolean {
  if (!sel || Object.keys(sel).length === 0) return false
  return Object.entries(sel).every(([k, v]) => labels[k] === v)
}

/** `a=b,c in (d)` for kubectl-facing fields such as Scale's status.selector and HPA. */
export function selectorToString(sel: LabelSelectorObj | undefined): string {
  const parts = Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`)
  for (const r of sel?.matchExpressions ?? []) {
    if (r.operator === 'In') parts.push(`${r.key} in (${(r.values ?? []).join(',')})`)
    else if (r.operator === 'NotIn') parts.push(`${r.key} notin (${(r.values ?? []).join(',')})`)
    else if (r.operator === 'Exists') parts.push(r.key)
    else parts.push(`!${r.key}`)
  }
  return parts.join(',')
}

interface NodeSelectorRequirement {
  key: string
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt'
  values?: string[]
}
interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[]
  matchFields?: NodeSelectorRequirement[]
}

function requirementMatches(r: NodeSelectorRequirement, values: Record<string, string>): boolean {
  const has = Object.hasOwn(values, r.key)
  const v = values[r.key]
  switch (r.operator) {
    case 'In':
      return has && (r.values ?? []).includes(v)
    case 'NotIn':
      return !has || !(r.values ?? []).includes(v)
    case 'Exists':
      return has
    case 'DoesNotExist':
      return !has
    case 'Gt':
    case 'Lt': {
      if (!has) return false
      const a = Number.parseInt(v, 10)
      const b = Number.parseInt(r.values?.[0] ?? '', 10)
      if (Number.isNaN(a) || Number.isNaN(b)) return false
      return r.operator === 'Gt' ? a > b : a < b
    }
  }
  return false
}

/** Required node affinity: terms are ORed, requirements within a term ANDed; an empty term matches nothing. */
export function nodeSelectorTermsMatch(terms: NodeSelectorTerm[] | undefined, node: KubeObject): boolean {
  if (!terms) return true
  const labels = node.metadata?.labels ?? {}
  const fields = { 'metadata.name': node.metadata?.name ?? '' }
  return terms.some((t) => {
    const exprs = t.matchExpressions ?? []
    const flds = t.matchFields ?? []
    if (exprs.length === 0 && flds.length === 0) return false
    return exprs.every((r) => requirementMatches(r, labels)) && flds.every((r) => requirementMatches(r, fields))
  })
}
