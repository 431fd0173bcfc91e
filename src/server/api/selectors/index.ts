// Label and field selectors compiled once per request into one predicate over objects.
import type { KubeObject, ResourceDef } from '../../registry/types.ts'
import { type FieldSelector, matchFields, parseFieldSelector } from './field-selector.ts'
import { type LabelSelector, matchLabels, parseLabelSelector } from './label-selector.ts'

export * from './field-selector.ts'
export * from './label-selector.ts'

export interface Selector {
  labels: LabelSelector
  fields: FieldSelector
  /** true when the selector selects everything */
  empty: boolean
  matches(obj: KubeObject): boolean
}

export function compileSelector(
  def: Pick<ResourceDef, 'fieldSelectors'>,
  opts: { labelSelector?: string; fieldSelector?: string },
): Selector {
  const labels = parseLabelSelector(opts.labelSelector)
  const fields = parseFieldSelector(opts.fieldSelector, def)
  const empty = labels.length === 0 && fields.length === 0
  return {
    labels,
    fields,
    empty,
    matches: empty ? () => true : (obj) => matchLabels(labels, obj.metadata?.labels) && matchFields(fields, def, obj),
  }
}
