// Turns the registry's inline schema trees back into named components with $refs, so OpenAPI documents
// stay small and read like upstream's (io.k8s.api.core.v1.Container ...). Nodes built from a named
// upstream definition become refs; anonymous ones (CRD schemas) stay inline.
import { definition, definitionName } from '../../registry/schemas/index.ts'
import type { JsonSchema, ResourceDef } from '../../registry/types.ts'

export type Dialect = 'v3' | 'v2'

/** Upstream component name for a kind: its definition name, or reversed-group.version.Kind for CRDs. */
export function componentName(def: ResourceDef): string {
  const named = def.schema && definitionName(def.schema)
  if (named && definition(named) === def.schema) return named
  const group = def.group ? def.group.split('.').reverse().join('.') : 'io.k8s.api.core'
  return `${group}.${def.version}.${def.kind}`
}

/** Converts `schema` into the dialect, adding every named definition it reaches to `out`. */
export function toComponent(
  schema: JsonSchema,
  dialect: Dialect,
  out: Record<string, unknown>,
): Record<string, unknown> {
  const prefix = dialect === 'v3' ? '#/components/schemas/' : '#/definitions/'
  const convert = (s: JsonSchema, top: boolean): Record<string, unknown> => {
    const name = definitionName(s)
    if (name && !top) {
      const canonical = definition(name)!
      if (!(name in out)) {
        out[name] = {} // reserve first: named definitions may refer to each other
        out[name] = convert(canonical, true)
      }
      const ref = { $ref: prefix + name }
      if (s === canonical) return ref
      // A property that refers to a definition with its own description and extensions.
      const own = ownKeys(s, canonical)
      if (Object.keys(own).length === 0) return ref
      return dialect === 'v3' ? { allOf: [ref], ...own } : { ...ref, ...own }
    }
    const r: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(s)) {
      if (k === 'properties') {
        r[k] = Object.fromEntries(
          Object.entries(v as Record<string, JsonSchema>).map(([p, c]) => [p, convert(c, false)]),
        )
      } else if ((k === 'items' || k === 'additionalProperties' || k === 'not') && typeof v === 'object') {
        r[k] = convert(v as JsonSchema, false)
      } else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') {
        if (dialect === 'v3') r[k] = (v as JsonSchema[]).map((c) => convert(c, false))
      } else if (dialect === 'v2' && (k === 'nullable' || k === 'x-kubernetes-int-or-string')) {
        // swagger 2.0 has neither; upstream's v2 shows int-or-string only through `format`.
      } else r[k] = v
    }
    if (dialect === 'v2' && r.not) delete r.not
    return r
  }
  return convert(schema, true)
}

/** Keys of a shallow copy that differ from its canonical definition (description, x-kubernetes-*). */
function ownKeys(copy: JsonSchema, canonical: JsonSchema): Record<string, unknown> {
  const own: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(copy)) if ((canonical as Record<string, unknown>)[k] !== v) own[k] = v
  return own
}
