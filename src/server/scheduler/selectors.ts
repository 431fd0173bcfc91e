// Object-form selectors: metav1.LabelSelector (pod affinity, topology spread) and core NodeSelector
// terms (node affinity, PV node affinity), with upstream's semantics: terms are ORed, requirements ANDed,
// an empty term matches nothing, Gt/Lt compare integers.
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1'
import type { Node, NodeSelectorRequirement, NodeSelectorTerm } from './types.ts'

type Labels = Record<string, string> | undefined

function requirementMatches(
  r: { key: string; operator: string; values?: string[] },
  get: (k: string) => string | undefined,
): boolean {
  const v = get(r.key)
  switch (r.operator) {
    case 'In':
      return v !== undefined && (r.values ?? []).includes(v)
    case 'NotIn':
      return v === undefined || !(r.values ?? []).includes(v)
    case 'Exists':
      return v !== undefined
    case 'DoesNotExist':
      return v === undefined
    case 'Gt':
    case 'Lt': {
      if (v === undefined || (r.values ?? []).length !== 1) return false
      const a = Number.parseInt(v, 10)
      const b = Number.parseInt(r.values![0], 10)
      if (Number.isNaN(a) || Number.isNaN(b)) return false
      return r.operator === 'Gt' ? a > b : a < b
    }
    default:
      return false
  }
}

/** metav1.LabelSelector: nil matches nothing, {} matches everything. */
export function labelSelectorMatches(sel: LabelSelector | undefined | null, labels: Labels): boolean {
  if (!sel) return false
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels?.[k] !== v) return false
  return (sel.matchExpressions ?? []).every((r: LabelSelectorRequirement) => requirementMatches(r, (k) => labels?.[k]))
}

/** One NodeSelectorTerm: matchExpressions on labels and matchFields on metadata.name, all ANDed. */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? []
  const fields = term.matchFields ?? []
  if (exprs.length === 0 && fields.length === 0) return false
  const labels = node.metadata?.labels
  return (
    exprs.every((r: NodeSelectorRequirement) => requirementMatches(r, (k) => labels?.[k])) &&
    fields.every((r: NodeSelectorRequirement) =>
      requirementMatches(r, (k) => (k === 'metadata.name' ? node.metadata?.name : undefined)),
    )
  )
}

export const nodeSelectorTermsMatch = (terms: NodeSelectorTerm[], node: Node) =>
  terms.some((t) => nodeSelectorTermMatches(t, node))
