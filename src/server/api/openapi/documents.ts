// OpenAPI v3 (per group-version) and v2 (swagger 2.0, one document) generated from the Registry —
// the same schemas that validate objects. Pure functions; cache.ts memoizes them per registry state.
import type { Registry, ResourceDef } from '../../registry/index.ts'
import { resourcePaths } from './paths.ts'
import { componentName, type Dialect, toComponent } from './schema-refs.ts'

const INFO = { title: 'Kubernetes', version: 'v1.33.0' }
// Upstream documents every kind's apiVersion and kind as free strings with these descriptions (kubectl
// explain prints them); the registry's schemas pin them to one value for validation, which explain would
// show as `enum: v1`.
const TYPE_META: Record<string, Record<string, unknown>> = {
  apiVersion: {
    type: 'string',
    description:
      'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
  },
  kind: {
    type: 'string',
    description:
      'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
  },
}

function withTypeMeta(component: Record<string, unknown>): Record<string, unknown> {
  const props = component.properties as Record<string, unknown> | undefined
  if (!props) return component
  const next = { ...props }
  for (const k of Object.keys(TYPE_META)) if (k in next) next[k] = TYPE_META[k]
  return { ...component, properties: next }
}

// Upstream's v3 documents give these two no `type` but a oneOf (OpenAPIV3OneOfTypes), so kubectl explain
// names them (`targetPort <IntOrString>`, `limits <map[string]Quantity>`) instead of printing `string`.
const V3_ONE_OF: Record<string, Record<string, unknown>> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
    description:
      'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    format: 'int-or-string',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': {
    description:
      'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  },
}

const PATCH = {
  type: 'object',
  description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
}

/** Document key as kubectl sees it in /openapi/v3: `api/v1`, `apis/apps/v1`. */
export const documentKey = (d: Pick<ResourceDef, 'group' | 'version'>) =>
  d.group ? `apis/${d.group}/${d.version}` : `api/${d.version}`

function build(defs: ResourceDef[], dialect: Dialect) {
  const schemas: Record<string, unknown> = {}
  const paths: Record<string, unknown> = {}
  const gvks = new Map<string, { group: string; kind: string; version: string }[]>()
  for (const def of defs) {
    const name = componentName(def)
    const schema = def.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }
    if (!(name in schemas)) schemas[name] = withTypeMeta(toComponent(schema, dialect, schemas))
    const list = gvks.get(name) ?? []
    if (!list.some((g) => g.group === def.group && g.version === def.version && g.kind === def.kind))
      list.push({ group: def.group, kind: def.kind, version: def.version })
    gvks.set(name, list)
    const ref = dialect === 'v3' ? `#/components/schemas/${name}` : `#/definitions/${name}`
    Object.assign(paths, resourcePaths(def, ref, dialect))
  }
  // kubectl explain finds a kind's schema by this extension (a list: one definition may serve several GVKs).
  for (const [name, list] of gvks)
    schemas[name] = { ...(schemas[name] as object), 'x-kubernetes-group-version-kind': list }
  schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Patch'] = PATCH
  if (dialect === 'v3')
    for (const [name, schema] of Object.entries(V3_ONE_OF)) if (name in schemas) schemas[name] = schema
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)))
  return { schemas: sorted, paths }
}

/** `GET /openapi/v3/<key>`: the document of one group-version, or undefined if nothing is served there. */
export function openapiV3Document(registry: Registry, group: string, version: string): object | undefined {
  const defs = registry.all().filter((d) => d.group === group && d.version === version)
  if (defs.length === 0) return undefined
  const { schemas, paths } = build(defs, 'v3')
  return { openapi: '3.0.0', info: INFO, paths, components: { schemas } }
}

/** Every served group-version, keyed as in the /openapi/v3 index. */
export function groupVersions(registry: Registry): { key: string; group: string; version: string }[] {
  const seen = new Map<string, { key: string; group: string; version: string }>()
  for (const d of registry.all()) seen.set(documentKey(d), { key: documentKey(d), group: d.group, version: d.version })
  return [...seen.values()].sort((a, b) => a.key.localeCompare(b.key))
}

/** `GET /openapi/v3`: `{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=H"}}}`. */
export function openapiV3Index(registry: Registry, hashOf: (key: string) => string): object {
  const paths: Record<string, { serverRelativeURL: string }> = {}
  for (const gv of groupVersions(registry))
    paths[gv.key] = { serverRelativeURL: `/openapi/v3/${gv.key}?hash=${hashOf(gv.key)}` }
  return { paths }
}

/** `GET /openapi/v2`: one swagger 2.0 document with every kind, x-kubernetes-patch-* kept for kubectl apply. */
export function openapiV2(registry: Registry): object {
  const { schemas, paths } = build(registry.all(), 'v2')
  return { swagger: '2.0', info: INFO, paths, definitions: schemas }
}
