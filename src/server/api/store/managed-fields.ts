// metadata.managedFields on every write, through the patch library's field manager (server-side apply's
// bookkeeping). Until that lands, entries record the manager and operation without a field set.
import type { KubeObject } from '../../registry/types.ts'
import { groupVersion } from '../../registry/types.ts'
import { nowRfc3339 } from './object-meta.ts'
import type { StoreCore } from './store-core.ts'
import type { RequestContext } from './types.ts'

export function trackManagedFields(
  core: StoreCore,
  live: KubeObject | undefined,
  obj: KubeObject,
  ctx: RequestContext | undefined,
  operation: 'Update' | 'Apply',
  subresource?: string,
): void {
  const manager = ctx?.fieldManager
  const meta = (obj.metadata ??= {})
  // a client may not rewrite managedFields through a normal update unless it sends them explicitly
  if (live && meta.managedFields === undefined) meta.managedFields = live.metadata?.managedFields
  if (!manager) return
  const entries = (meta.managedFields ?? []).filter(
    (e) => !(e.manager === manager && e.operation === operation && (e.subresource ?? '') === (subresource ?? '')),
  )
  entries.push({
    manager,
    operation,
    apiVersion: groupVersion(core.def),
    time: nowRfc3339(),
    fieldsType: 'FieldsV1',
    fieldsV1: {},
    ...(subresource ? { subresource } : {}),
  })
  meta.managedFields = entries
}
