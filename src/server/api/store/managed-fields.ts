// metadata.managedFields on every write, through the patch library's field manager (the same
// bookkeeping server-side apply reads): the writing manager gains the fields it set or changed.
import type { KubeObject } from '../../registry/types.ts'
import { groupVersion } from '../../registry/types.ts'
import { updateManagedFields } from '../patch/index.ts'
import type { StoreCore } from './store-core.ts'
import type { RequestContext } from './types.ts'

/** Top-level fields an endpoint does not own, as upstream's ResetFieldsStrategy. */
export function resetFieldsFor(core: StoreCore, subresource?: string): string[] {
  if (subresource === 'status') return ['spec', 'metadata']
  if (!subresource && core.def.subresources?.status) return ['status']
  return []
}

export function trackManagedFields(
  core: StoreCore,
  live: KubeObject | undefined,
  obj: KubeObject,
  ctx: RequestContext | undefined,
  operation: 'Update' | 'Apply',
  subresource?: string,
): void {
  const meta = (obj.metadata ??= {}) as Record<string, unknown>
  const manager = ctx?.fieldManager
  if (!manager) {
    // an unnamed writer leaves ownership as it was (upstream would name it after the user agent)
    if (live?.metadata?.managedFields && meta.managedFields === undefined)
      meta.managedFields = live.metadata.managedFields
    return
  }
  const entries = updateManagedFields(live, obj, manager, operation, groupVersion(core.def), subresource, {
    schema: core.def.schema,
    resetFields: resetFieldsFor(core, subresource),
  })
  if (entries.length > 0) meta.managedFields = entries
  else delete meta.managedFields
}
