// What kube-apiserver's JSON decoder says about a value of the wrong type in a built-in kind, e.g.
// `json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of
// type string`: the innermost Go struct holding the field, the field's JSON path without indices, and its
// Go type, all derived from the upstream schema the registry carries.
import { definitionName } from '../../registry/schemas/index.ts'
import type { JsonSchema } from '../../registry/types.ts'

// Types with their own UnmarshalJSON say something else upstream: leave those to the schema's message.
const CUSTOM = new Set([
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
  'io.k8s.apimachinery.pkg.api.resource.Quantity',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  'io.k8s.apimachinery.pkg.runtime.RawExtension',
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
])

/** `io.k8s.api.core.v1.Container` → `v1.Container`, as Go prints a type of package k8s.io/api/core/v1. */
function goName(def: string): string {
  const parts = def.split('.')
  return `${parts.at(-2)}.${parts.at(-1)}`
}

// The generated schemas carry no integer formats: upstream's int64 fields by name, int32 otherwise.
const INT64_FIELDS = new Set([
  'activeDeadlineSeconds',
  'terminationGracePeriodSeconds',
  'startingDeadlineSeconds',
  'deletionGracePeriodSeconds',
  'gracePeriodSeconds',
  'expirationSeconds',
  'runAsUser',
  'runAsGroup',
  'fsGroup',
  'supplementalGroups',
  'generation',
  'observedGeneration',
])

function goType(s: JsonSchema, field: string): string | undefined {
  const named = definitionName(s)
  if (named && CUSTOM.has(named)) return undefined
  if (s['x-kubernetes-int-or-string']) return undefined
  switch (s.type) {
    case 'integer':
      return s.format === 'int32' || s.format === 'int64' ? s.format : INT64_FIELDS.has(field) ? 'int64' : 'int32'
    case 'number':
      return 'float64'
    case 'boolean':
      return 'bool'
    case 'string':
      return s.format === 'byte' ? undefined : 'string'
    case 'array': {
      const item = s.items && goType(s.items as JsonSchema, field)
      return item && `[]${item}`
    }
    case 'object': {
      if (named) return goName(named)
      const extra = s.additionalProperties
      if (extra && typeof extra === 'object') {
        const value = goType(extra as JsonSchema, field)
        return value && `map[string]${value}`
      }
      return undefined
    }
  }
  return undefined
}

/** Go's name for the JSON kind of `v` (`number 1.5` for a fraction bound for an integer). */
function goValueKind(v: unknown, target: JsonSchema): string {
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return target.type === 'integer' && !Number.isInteger(v) ? `number ${v}` : 'number'
  if (typeof v === 'boolean') return 'bool'
  if (v !== null && typeof v === 'object') return 'object'
  return 'string'
}

const TOKEN = /([^.[\]]+)|\[([^\]]*)\]/g

/**
 * The decoder's message for the value at `path` (as the schema walker names it: `a.b[0].c`, `m[key]`)
 * in `obj`, or undefined when it cannot be worded as upstream's.
 */
export function goUnmarshalError(root: JsonSchema, obj: unknown, path: string): string | undefined {
  let s: JsonSchema | undefined = root
  let v: unknown = obj
  let struct: string | undefined
  const fields: string[] = []
  for (const m of path.matchAll(TOKEN)) {
    if (!s) return undefined
    if (m[1] !== undefined) {
      const named = definitionName(s)
      struct = named ? named.split('.').at(-1) : undefined
      fields.push(m[1])
      s = s.properties?.[m[1]]
      v = (v as Record<string, unknown> | undefined)?.[m[1]]
    } else {
      const key = m[2]!
      if (s.type === 'array') {
        s = s.items as JsonSchema | undefined
        v = (v as unknown[] | undefined)?.[Number(key)]
      } else {
        s = typeof s.additionalProperties === 'object' ? (s.additionalProperties as JsonSchema) : undefined
        v = (v as Record<string, unknown> | undefined)?.[key]
      }
    }
  }
  if (!s || !struct || fields.length === 0) return undefined
  const type = goType(s, fields.at(-1)!)
  if (!type) return undefined
  return `json: cannot unmarshal ${goValueKind(v, s)} into Go struct field ${struct}.${fields.join('.')} of type ${type}`
}
