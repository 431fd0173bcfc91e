// Shapes objects and lists into what the client asked for: plain JSON, a meta.k8s.io Table (kubectl get)
// or PartialObjectMetadata(List) (metadata-only informers, kubectl's label/annotate fast paths).
import { groupVersion, type KubeObject, type ResourceDef } from '../../registry/types.ts'
import type { ListResult } from '../store/types.ts'
import type { Wanted } from './negotiate.ts'
import type { TableOptions, TableRenderer } from './types.ts'

export const listKind = (def: ResourceDef) => def.listKind ?? `${def.kind}List`

/** Objects from the store normally carry apiVersion/kind; make sure, as the wire format needs them. */
export function withTypeMeta(def: ResourceDef, obj: KubeObject): KubeObject {
  if (obj.apiVersion && obj.kind) return obj
  return { apiVersion: groupVersion(def), kind: def.kind, ...obj }
}

export function partialMetadata(obj: KubeObject, version: string): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata ?? {} }
}

export function tableOptions(query: URLSearchParams): TableOptions {
  const inc = query.get('includeObject')
  return { includeObject: inc === 'None' || inc === 'Object' ? inc : 'PartialObjectMetadata' }
}

/** A minimal table (Name + Created At) for resources without a renderer, as upstream's default table convertor. */
export const defaultTable: TableRenderer = (_def, objects, opts) => ({
  kind: 'Table',
  apiVersion: 'meta.k8s.io/v1',
  metadata: {
    ...(opts.resourceVersion ? { resourceVersion: opts.resourceVersion } : {}),
    ...(opts.continue ? { continue: opts.continue } : {}),
  },
  columnDefinitions: opts.noHeaders
    ? []
    : [
        {
          name: 'Name',
          type: 'string',
          format: 'name',
          description: 'Name must be unique within a namespace.',
          priority: 0,
        },
        {
          name: 'Created At',
          type: 'date',
          format: '',
          description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
          priority: 0,
        },
      ],
  rows: objects.map((o) => ({
    cells: [o.metadata?.name ?? '', o.metadata?.creationTimestamp ?? ''],
    ...(opts.includeObject === 'None'
      ? {}
      : { object: opts.includeObject === 'Object' ? o : partialMetadata(o, 'v1') }),
  })),
})

function asTable(
  render: TableRenderer,
  def: ResourceDef,
  objs: KubeObject[],
  version: string,
  opts: TableOptions,
  list?: ListResult,
) {
  const table = render(def, objs, {
    ...opts,
    ...(list
      ? {
          resourceVersion: list.resourceVersion,
          continue: list.continue,
          remainingItemCount: list.remainingItemCount,
        }
      : {}),
  })
  return version === 'v1' ? table : { ...table, apiVersion: `meta.k8s.io/${version}` }
}

export function shapeObject(
  def: ResourceDef,
  obj: KubeObject,
  wanted: Wanted,
  render: TableRenderer,
  opts: TableOptions,
): KubeObject {
  if (wanted.as === 'Table') return asTable(render, def, [obj], wanted.version, opts)
  if (wanted.as === 'PartialObjectMetadata') return partialMetadata(obj, wanted.version)
  return withTypeMeta(def, obj)
}

export function shapeList(
  def: ResourceDef,
  list: ListResult,
  wanted: Wanted,
  render: TableRenderer,
  opts: TableOptions,
): KubeObject {
  if (wanted.as === 'Table') return asTable(render, def, list.items, wanted.version, opts, list)
  const metadata = {
    resourceVersion: list.resourceVersion,
    ...(list.continue ? { continue: list.continue } : {}),
    ...(list.remainingItemCount !== undefined ? { remainingItemCount: list.remainingItemCount } : {}),
  }
  if (wanted.as === 'PartialObjectMetadata') {
    return {
      kind: 'PartialObjectMetadataList',
      apiVersion: `meta.k8s.io/${wanted.version}`,
      metadata,
      items: list.items.map((o) => partialMetadata(o, wanted.version)),
    }
  }
  return {
    kind: listKind(def),
    apiVersion: groupVersion(def),
    metadata,
    items: list.items.map((o) => withTypeMeta(def, o)),
  }
}
