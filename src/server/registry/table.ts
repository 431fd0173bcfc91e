// meta.k8s.io/v1 Table rendering for `kubectl get` from a ResourceDef's columns (pure).
// Like kube-apiserver, every column (wide ones included) is sent; kubectl hides priority>0 without -o wide.
import { createdAt, since } from './columns/format.ts'
import type { Column, KubeObject, ResourceDef } from './types.ts'

export interface RenderTableOptions {
  /** default true: include priority>0 columns, as kube-apiserver always does */
  wide?: boolean
  /** upstream includeObject: rows[].object as PartialObjectMetadata (default), the full object, or none */
  includeObject?: 'None' | 'Object' | 'PartialObjectMetadata'
  /** leave columnDefinitions null (watch events after the first) */
  noHeaders?: boolean
  resourceVersion?: string
  continue?: string
  remainingItemCount?: number
  /** ms since epoch for age cells (default Date.now()) */
  now?: number
}

const NAME: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  get: (o) => o.metadata?.name ?? '',
}

const AGE: Column = {
  name: 'Age',
  type: 'string',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  get: (o, now = Date.now()) => since(o.metadata?.creationTimestamp, now),
}

/** The full column list of a def: NAME first and AGE last unless the def's list says otherwise (a list
 * with `Created At`, e.g. Role and ClusterRole, has no AGE upstream). */
export function tableColumns(def: ResourceDef): Column[] {
  const cols = def.columns
  if (!cols?.length) return [NAME, createdAt]
  if (cols.some((c) => c.name === 'Name')) return cols
  return cols.some((c) => c.name === 'Age' || c.name === 'Created At') ? [NAME, ...cols] : [NAME, ...cols, AGE]
}

function rowObject(o: KubeObject, mode: RenderTableOptions['includeObject']) {
  if (mode === 'None') return undefined
  if (mode === 'Object') return o
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata ?? {} }
}

const cell = (v: unknown) => (v === undefined || v === null ? '' : v)

export function renderTable(def: ResourceDef, objects: KubeObject[], opts: RenderTableOptions = {}): KubeObject {
  const now = opts.now ?? Date.now()
  const cols = tableColumns(def).filter((c) => opts.wide !== false || !c.priority)
  const metadata: Record<string, unknown> = { resourceVersion: opts.resourceVersion ?? '' }
  if (opts.continue) metadata.continue = opts.continue
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: opts.noHeaders
      ? null
      : cols.map((c) => ({
          name: c.name,
          type: c.type,
          format: c.format ?? '',
          description: c.description ?? '',
          priority: c.priority ?? 0,
        })),
    rows: objects.map((o) => {
      const object = rowObject(o, opts.includeObject)
      return { cells: cols.map((c) => cell(c.get(o, now))), ...(object ? { object } : {}) }
    }),
  }
}
