// Server-side apply (PATCH application/apply-patch+yaml), following structured-merge-diff's Updater.Apply:
//  1. merge the applied configuration into the live object;
//  2. fields that change (added or modified) and are owned by another manager are conflicts — a 409 unless
//     `force`, which moves their ownership to the applier; a field applied with its current value is shared;
//  3. the applier now owns exactly the fields of its configuration;
//  4. fields it applied last time and omits now are removed, unless some other manager still owns them.
import { ApiError } from '../../../shared/errors.ts'
import { patchBadRequest } from './errors.ts'
import { FieldSet, pathString } from './field-set.ts'
import { compare, dropNulls, duplicateItems, merge, removeItems, toFieldSet, withNamedFields } from './field-walk.ts'
import { clone, isObject, type JsonObject } from './json-value.ts'
import {
  decodeManagedFields,
  encodeManagedFields,
  type FieldOptions,
  type ManagedFieldsEntry,
  type Manager,
  managerKey,
  objectFieldSet,
  rfc3339,
  trackable,
  withoutManagedFields,
} from './managed-fields.ts'

export interface ApplyOptions extends FieldOptions {
  force?: boolean
  subresource?: string
}

export interface ApplyConflict {
  /** How upstream prints the other manager: `"kubectl-client-side-apply" using apps/v1`, or `"kubectl"` for appliers. */
  manager: string
  /** Upstream path string, e.g. `.spec.replicas` or `.spec.template.spec.containers[name="web"].image`. */
  field: string
}

/** 409 Conflict with one FieldManagerConflict cause per field, worded as upstream's NewConflictError. */
export class ApplyConflictError extends ApiError {
  override name = 'ApplyConflictError'
  constructor(readonly conflicts: ApplyConflict[]) {
    super(409, 'Conflict', conflictMessage(conflicts), {
      causes: conflicts.map((c) => ({
        reason: 'FieldManagerConflict',
        message: `conflict with ${c.manager}`,
        field: c.field,
      })),
    })
  }
}

/** The Status body the API returns for apply conflicts. */
export const applyConflictStatus = (conflicts: ApplyConflict[]) => new ApplyConflictError(conflicts).status

function conflictMessage(conflicts: ApplyConflict[]): string {
  if (conflicts.length === 1)
    return `Apply failed with 1 conflict: conflict with ${conflicts[0].manager}: ${conflicts[0].field}`
  const byManager = new Map<string, string[]>()
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field])
  const lines: string[] = []
  for (const m of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${m}:`)
    for (const f of byManager.get(m)!) lines.push(`- ${f}`)
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`
}

/** upstream printManager */
export function describeManager(m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  let s = JSON.stringify(m.manager)
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`
  return m.operation === 'Update' ? `${s} using ${m.apiVersion}` : s
}

/** Manager name upstream gives the fields of an object that existed before its first apply. */
export const BEFORE_FIRST_APPLY = 'before-first-apply'

/**
 * Applies `applied` (the decoded apply-patch body) for `manager` to `live` (undefined: the object is created).
 * Returns the new object (managedFields set) and its managedFields. Throws ApplyConflictError.
 */
export function applyPatch(
  live: JsonObject | undefined,
  applied: JsonObject,
  manager: string,
  opts: ApplyOptions = {},
): { object: JsonObject; managedFields: ManagedFieldsEntry[] } {
  const schema = opts.schema
  const now = opts.now ?? rfc3339()
  const apiVersion = String(applied.apiVersion ?? live?.apiVersion ?? '')
  // Upstream refuses an apply configuration that carries managedFields.
  if (isObject(applied.metadata) && applied.metadata.managedFields != null)
    throw patchBadRequest('metadata.managedFields must be nil')
  const config = withoutManagedFields(clone(applied))!
  assertNoDuplicateKeys(config, schema)
  const liveBody = withoutManagedFields(live)

  const managers = decodeManagedFields(live?.metadata?.managedFields)
  if (liveBody && managers.length === 0)
    managers.push({
      manager: BEFORE_FIRST_APPLY,
      operation: 'Update',
      apiVersion: String(live?.apiVersion ?? apiVersion),
      time: now,
      set: objectFieldSet(liveBody, opts),
    })
  const me: Manager = {
    manager,
    operation: 'Apply',
    apiVersion,
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
    set: new FieldSet(),
  }
  const key = managerKey(me)
  const previous = managers.find((m) => managerKey(m) === key)
  const lastSet = previous?.set
  const others = managers.filter((m) => m !== previous)

  // The configuration's full field set (with name, apiVersion...) guards those fields from pruning;
  // only the trackable part is recorded.
  const configSet = toFieldSet(config, schema)
  const merged = merge(liveBody ?? {}, config, schema)

  const diff = compare(liveBody ?? {}, merged, schema)
  const changed = trackable(diff.added.union(diff.modified), opts.resetFields)
  const conflicts: ApplyConflict[] = []
  for (const m of others) {
    const clash = m.set.intersection(changed)
    for (const p of clash.paths()) conflicts.push({ manager: describeManager(m), field: pathString(p) })
    if (!clash.empty) m.set = m.set.difference(clash)
  }
  if (conflicts.length && !opts.force) throw new ApplyConflictError(conflicts)

  // Prune what this applier owned last time and no longer applies, unless someone else owns it.
  let result = merged
  if (lastSet && !lastSet.empty) {
    let stillOwned = configSet
    for (const m of others) stillOwned = stillOwned.union(m.set)
    const drop = withNamedFields(lastSet, schema).difference(withNamedFields(stillOwned, schema))
    result = removeItems(merged, drop, schema)
  }
  // Fields that disappeared leave every other manager's set.
  const removed = trackable(compare(liveBody ?? {}, result, schema).removed, opts.resetFields)
  for (const m of others) m.set = m.set.difference(removed)

  const object = dropNulls(result) as JsonObject
  const changedAnything = !liveBody || !diff.added.empty || !diff.modified.empty || !removed.empty
  const mine: Manager = {
    ...me,
    set: trackable(configSet, opts.resetFields),
    time: changedAnything || !previous?.time ? now : previous.time,
  }
  const managedFields = encodeManagedFields([...others, mine])
  if (!isObject(object.metadata)) object.metadata = {}
  object.metadata.managedFields = managedFields
  return { object, managedFields }
}

/** Associative lists in an apply configuration must not repeat a key (structured-merge-diff refuses them). */
function assertNoDuplicateKeys(config: JsonObject, schema: ApplyOptions['schema']) {
  const dup = duplicateItems(config, schema)
  if (dup)
    throw patchBadRequest(
      `failed to create typed patch object: ${pathString(dup.slice(0, -1))}: duplicate entries for key ${pathString(dup.slice(-1))}`,
    )
}
