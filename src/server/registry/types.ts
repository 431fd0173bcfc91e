// The resource registry: each kind described once. Discovery, OpenAPI, validation, storage keys,
// tables, field selectors and patch strategies all derive from a ResourceDef.
// A ResourceDef is plain data plus small pure hooks, so custom resources (CRDs) produce them at run time too.

/** OpenAPI v3 schema with the upstream x-kubernetes-* extensions, e.g.
 * `x-kubernetes-patch-merge-key`, `x-kubernetes-patch-strategy` ("merge", "retainKeys", "merge,retainKeys"),
 * `x-kubernetes-list-type` ("atomic" | "set" | "map"), `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`,
 * `x-kubernetes-preserve-unknown-fields`, `x-kubernetes-int-or-string`, `x-kubernetes-embedded-resource`.
 * The same schema validates objects (unknown fields, types, required, enums), feeds /openapi/v2 and v3,
 * `kubectl explain`, strategic merge patch and server-side apply. `$ref` is not used: schemas are inlined
 * trees (shared sub-schemas are shared JS objects), so walkers need no resolver. */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean'
  description?: string
  format?: string
  properties?: Record<string, JsonSchema>
  additionalProperties?: JsonSchema | boolean
  items?: JsonSchema
  required?: string[]
  enum?: unknown[]
  default?: unknown
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  minItems?: number
  maxItems?: number
  nullable?: boolean
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  not?: JsonSchema
  [ext: `x-kubernetes-${string}`]: unknown
}

/** One Kubernetes object as stored and served (JSON). */
export type KubeObject = {
  apiVersion?: string
  kind?: string
  metadata?: ObjectMeta
  [field: string]: any
}
export type ObjectMeta = import('kubernetes-types/meta/v1').ObjectMeta

/** A field problem, turned into a 422 Invalid Status cause. `field` is the upstream path, e.g. `spec.replicas`, `spec.containers[0].image`. */
export interface FieldError {
  type:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueDuplicate'
    | 'FieldValueForbidden'
    | 'FieldValueTooLong'
    | 'FieldValueTypeInvalid'
    | 'FieldValueNotFound'
    | 'FieldValueTooMany'
  field: string
  message: string
}

/** A `kubectl get` column. `get` returns the cell (string, number, boolean); `priority: 1` shows only with -o wide.
 * `now` (ms since epoch) is passed by the table renderer for age-like cells ("5m", "3 (2m ago)"). */
export interface Column {
  name: string
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date'
  format?: string
  description?: string
  priority?: number
  get(obj: KubeObject, now?: number): unknown
}

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection'

export interface ScaleSubresource {
  specReplicasPath: string
  statusReplicasPath: string
  labelSelectorPath?: string
}

export interface ResourceDef {
  group: string // '' for the core group
  version: string
  kind: string
  listKind?: string // default `${kind}List`
  plural: string
  singular: string
  namespaced: boolean
  shortNames?: string[]
  categories?: string[]
  verbs?: Verb[] // default: all eight
  /** The object's schema (see JsonSchema). Absent = accept anything (preserve unknown fields). */
  schema?: JsonSchema
  /** Subresources: `status` and `scale` are generic; the others (binding, eviction, log, exec, attach,
   * portforward, proxy, token) are served by handlers registered by name. */
  subresources?: { status?: boolean; scale?: ScaleSubresource; others?: string[] }
  /** Upstream defaulting, applied on create and update after decoding. Mutates. */
  defaults?(obj: KubeObject): void
  /** Semantic validation beyond the schema (name formats, immutable fields). `old` on update. */
  validate?(obj: KubeObject, old?: KubeObject): FieldError[]
  /** Table columns after NAME (NAME is implied; AGE is appended unless a column is named Age).
   * A list that contains a column named Name is complete as given (events put Name last, -o wide). */
  columns?: Column[]
  /** Extra field selectors beyond metadata.name / metadata.namespace: `'spec.nodeName': o => o.spec?.nodeName` */
  fieldSelectors?: Record<string, (obj: KubeObject) => string | undefined>
  /** true for kinds whose spec changes bump metadata.generation (has a spec/status split). Default: has status subresource. */
  generation?: boolean
  /** Upstream storage key resource name when it differs from plural (e.g. `services/specs`). */
  storageResource?: string
}

export const ALL_VERBS: Verb[] = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection']

export const groupVersion = (d: Pick<ResourceDef, 'group' | 'version'>) =>
  d.group ? `${d.group}/${d.version}` : d.version
