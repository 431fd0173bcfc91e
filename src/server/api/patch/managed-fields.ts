// metadata.managedFields bookkeeping as kube-apiserver's fieldmanager does it for ordinary writes
// (create, update, non-apply patches): the writing manager gains the fields it added or changed, those
// fields leave every other manager's set, removed fields leave every set, and empty managers are dropped.
import type { JsonSchema } from '../../registry/types.ts'
import { FieldSet } from './field-set.ts'
import { compare, toFieldSet } from './field-walk.ts'
import { deepEqual, isObject, type JsonObject } from './json-value.ts'

export interface ManagedFieldsEntry {
  manager: string
  operation: 'Apply' | 'Update'
  apiVersion: string
  time?: string
  fieldsType: 'FieldsV1'
  fieldsV1: Record<string, unknown>
  subresource?: string
}

/** One manager's ownership while we compute: the entry's identity plus its field set. */
export interface Manager {
  manager: string
  operation: 'Apply' | 'Update'
  apiVersion: string
  time?: string
  subresource?: string
  set: FieldSet
}

export interface FieldOptions {
  schema?: JsonSchema
  /** RFC 3339 time stamped on entries that change; defaults to now. */
  now?: string
  /** Top-level fields whose changes are not tracked for this endpoint, as upstream's ResetFields:
   * e.g. ['status'] for the main resource of a kind with a status subresource, ['spec', 'metadata'] for /status. */
  resetFields?: string[]
}

/** Fields never recorded in managedFields (upstream stripMetaManager). */
const STRIPPED = new FieldSet()
for (const f of ['apiVersion', 'kind', 'metadata']) STRIPPED.insert([`f:${f}`])
for (const f of [
  'name',
  'namespace',
  'creationTimestamp',
  'selfLink',
  'uid',
  'generation',
  'managedFields',
  'resourceVersion',
])
  STRIPPED.insert(['f:metadata', `f:${f}`])

export const rfc3339 = (d = new Date()) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')

/** Identity as upstream's BuildManagerIdentifier: appliers are one manager whatever apiVersion they used. */
export const managerKey = (m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>) =>
  JSON.stringify([m.manager, m.operation, m.operation === 'Apply' ? '' : m.apiVersion, m.subresource ?? ''])

/** Removes what managedFields never records: stripped metadata and the endpoint's reset fields. */
export function trackable(set: FieldSet, resetFields: string[] = []): FieldSet {
  const drop = new FieldSet()
  for (const f of resetFields) drop.insert([`f:${f}`])
  const noMeta = set.difference(STRIPPED)
  return resetFields.length ? noMeta.recursiveDifference(drop) : noMeta
}

export function decodeManagedFields(entries: unknown): Manager[] {
  if (!Array.isArray(entries)) return []
  return entries.filter(isObject).map((e) => ({
    manager: String(e.manager ?? ''),
    operation: e.operation === 'Apply' ? 'Apply' : 'Update',
    apiVersion: String(e.apiVersion ?? ''),
    ...(e.time ? { time: String(e.time) } : {}),
    ...(e.subresource ? { subresource: String(e.subresource) } : {}),
    set: FieldSet.fromFieldsV1(e.fieldsV1),
  }))
}

/** Entries in upstream's order (Apply before Update, then oldest first, then by manager), empty sets dropped. */
export function encodeManagedFields(managers: Manager[]): ManagedFieldsEntry[] {
  const seconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0)
  return managers
    .filter((m) => !m.set.empty)
    .sort(
      (a, b) =>
        a.operation.localeCompare(b.operation) ||
        seconds(a.time) - seconds(b.time) ||
        a.manager.localeCompare(b.manager) ||
        a.apiVersion.localeCompare(b.apiVersion) ||
        (a.subresource ?? '').localeCompare(b.subresource ?? ''),
    )
    .map((m) => ({
      manager: m.manager,
      operation: m.operation,
      apiVersion: m.apiVersion,
      ...(m.time ? { time: m.time } : {}),
      fieldsType: 'FieldsV1' as const,
      fieldsV1: m.set.toFieldsV1(),
      ...(m.subresource ? { subresource: m.subresource } : {}),
    }))
}

/** The object as the field manager sees it: no managedFields. */
export function withoutManagedFields(obj: unknown): JsonObject | undefined {
  if (!isObject(obj)) return undefined
  if (!isObject(obj.metadata) || !('managedFields' in obj.metadata)) return obj
  const { managedFields: _, ...metadata } = obj.metadata
  return { ...obj, metadata }
}

/** Which managedFields a write starts from: the stored ones, unless the request replaced them itself
 * (upstream lets a client overwrite managedFields; an explicit empty list resets tracking). */
function startingManagers(old: JsonObject | undefined, next: JsonObject): Manager[] {
  const requested = next.metadata?.managedFields
  const stored = old?.metadata?.managedFields
  if (requested !== undefined && !deepEqual(requested, stored)) return decodeManagedFields(requested)
  return decodeManagedFields(stored)
}

/**
 * managedFields after an ordinary write (create, update, JSON/merge/strategic patch) by `manager`.
 * `old` is undefined on create. Returns the entries to store on the new object.
 */
export function updateManagedFields(
  old: JsonObject | undefined,
  next: JsonObject,
  manager: string,
  operation: 'Update' | 'Apply',
  apiVersion: string,
  subresource?: string,
  opts: FieldOptions = {},
): ManagedFieldsEntry[] {
  const managers = startingManagers(old, next)
  const before = withoutManagedFields(old) ?? {}
  const after = withoutManagedFields(next)!
  const diff = compare(before, after, opts.schema)
  const changed = trackable(diff.added.union(diff.modified), opts.resetFields)
  const removed = trackable(diff.removed, opts.resetFields)
  const me: Manager = { manager, operation, apiVersion, ...(subresource ? { subresource } : {}), set: new FieldSet() }
  const key = managerKey(me)
  let mine = managers.find((m) => managerKey(m) === key)
  if (!mine) managers.push((mine = me))
  for (const m of managers) if (m !== mine) m.set = m.set.difference(changed).difference(removed)
  const set = mine.set.difference(removed).union(changed)
  if (!changed.empty || !removed.empty || !mine.time) mine.time = opts.now ?? rfc3339()
  mine.set = set
  mine.apiVersion = apiVersion
  return encodeManagedFields(managers)
}

/** Field set of a whole object minus what managedFields never records (used for `before-first-apply`). */
export const objectFieldSet = (obj: JsonObject, opts: FieldOptions) =>
  trackable(toFieldSet(withoutManagedFields(obj), opts.schema), opts.resetFields)
