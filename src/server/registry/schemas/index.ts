// Upstream schemas of the built-in kinds, linked from the generated definitions.json (scripts/gen-schemas.ts)
// into inline JsonSchema trees. A property that refers to a named definition is a shallow copy of it (its own
// description and x-kubernetes-* extensions on top, `properties` shared), so trees stay small and walkers need
// no resolver. definitionName() tells the OpenAPI generator which named definition a node came from.
import type { JsonSchema } from '../types.ts'
import data from './definitions.json' with { type: 'json' }

type Raw = Record<string, any>
const raw = data as unknown as { roots: Record<string, string>; definitions: Record<string, Raw> }

const resolved = new Map<string, JsonSchema>()
const names = new WeakMap<object, string>()

function link(node: Raw): JsonSchema {
  if (node.$ref) {
    const { $ref, ...own } = node
    const target = definition($ref)
    if (!target) throw new Error(`schema definition ${$ref} missing from definitions.json`)
    if (Object.keys(own).length === 0) return target
    const copy = { ...target, ...own } as JsonSchema
    names.set(copy, $ref)
    return copy
  }
  const out: Raw = {}
  for (const [k, v] of Object.entries(node)) {
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v as Raw).map(([p, s]) => [p, link(s)]))
    else if ((k === 'items' || k === 'additionalProperties') && typeof v === 'object') out[k] = link(v)
    else out[k] = v
  }
  return out as JsonSchema
}

/** A named upstream definition, e.g. `io.k8s.api.core.v1.Container`, as a linked tree. */
export function definition(name: string): JsonSchema | undefined {
  let s = resolved.get(name)
  if (s) return s
  const node = raw.definitions[name]
  if (!node) return undefined
  s = link(node)
  resolved.set(name, s)
  names.set(s, name)
  return s
}

/** A property referring to named definition `name` with its own description/extensions on top. */
export function refWith(name: string, own: JsonSchema): JsonSchema | undefined {
  const target = definition(name)
  if (!target) return undefined
  const copy = { ...target, ...own }
  names.set(copy, name)
  return copy
}

/** The upstream definition name a schema node was built from, if any. */
export const definitionName = (s: JsonSchema): string | undefined => names.get(s)

/** Schema of a built-in kind (`group` '' for core), or undefined when it was not generated. */
export function kindSchema(group: string, version: string, kind: string): JsonSchema | undefined {
  const name = raw.roots[`${group}/${version}/${kind}`]
  return name ? definition(name) : undefined
}

export const definitionNames = () => Object.keys(raw.definitions)
