// Pure metadata rules of the generic registry (upstream rest.BeforeCreate / BeforeUpdate and the
// strategies' PrepareForCreate / PrepareForUpdate), shared by every kind.
import { badRequest, conflict, invalid } from '../../../shared/errors.ts'
import type { FieldError, KubeObject, ObjectMeta, ResourceDef } from '../../registry/types.ts'
import { groupVersion } from '../../registry/types.ts'
import { deepEqual } from '../patch/json-value.ts'
import { isBuiltinGroup } from './keys.ts'

/** RFC 3339 with seconds, as metav1.Time serializes. */
export const nowRfc3339 = (ms = Date.now()) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')

// Upstream's names.SimpleNameGenerator alphabet: no vowels, no 0/1/3, so no words and no look-alikes.
const alphabet = 'bcdfghjklmnpqrstvwxz2456789'
export function generateName(prefix: string): string {
  // upstream trims the prefix so the result fits 63 characters
  const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix
  let s = ''
  for (let i = 0; i < 5; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)]
  return base + s
}

/** ObjectMeta without kubernetes-types' readonly markers: the store owns these fields. */
export type Meta = { -readonly [K in keyof ObjectMeta]?: ObjectMeta[K] }
export const metaOf = (obj: KubeObject): Meta => (obj.metadata ??= {}) as Meta

/** Kinds with a spec/status split track generation; custom resources always do (upstream CR strategy). */
export const tracksGeneration = (def: ResourceDef) =>
  def.generation ?? (!!def.subresources?.status || !isBuiltinGroup(def.group))

/** What a "spec change" means for generation: everything but metadata, and but status where the
 * kind has a status subresource (a CR without one bumps on status changes too, as upstream). */
export function specOf(obj: KubeObject, def?: ResourceDef): Record<string, unknown> {
  const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = obj
  if (!def || def.subresources?.status) delete rest.status
  return rest
}

export function specChanged(a: KubeObject, b: KubeObject, def?: ResourceDef): boolean {
  return !deepEqual(specOf(a, def), specOf(b, def))
}

/** apiVersion, kind, metadata first, as upstream serializes (etcdctl and `-o json` read naturally). */
export function typeFirst(obj: KubeObject): KubeObject {
  const { apiVersion, kind, metadata, ...rest } = obj
  for (const k of Object.keys(obj)) delete obj[k]
  Object.assign(obj, { apiVersion, kind, metadata }, rest)
  return obj
}

/** Fills what the server owns on create. Mutates and returns obj. */
export function prepareCreate(def: ResourceDef, obj: KubeObject, namespace: string | undefined): KubeObject {
  obj.apiVersion = groupVersion(def)
  obj.kind = def.kind
  const meta = metaOf(obj)
  if (def.namespaced) {
    if (meta.namespace && namespace && meta.namespace !== namespace)
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
    meta.namespace = namespace ?? meta.namespace
  } else delete meta.namespace
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName)
  meta.uid = crypto.randomUUID()
  meta.creationTimestamp = nowRfc3339()
  delete meta.resourceVersion
  delete meta.deletionTimestamp
  delete meta.deletionGracePeriodSeconds
  delete meta.selfLink
  if (tracksGeneration(def)) meta.generation = 1
  else delete meta.generation
  return typeFirst(obj)
}

export function requireName(def: ResourceDef, obj: KubeObject): string {
  const name = obj.metadata?.name
  if (!name) {
    const errs: FieldError[] = [
      {
        type: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      },
    ]
    throw invalid(def.kind, def.group, '', errs)
  }
  return name
}

/**
 * Carries the server-owned metadata from `old` into `obj` for an update (BeforeUpdate), and bumps
 * generation on spec changes. Throws 400 for a name/namespace that differs from the URL and 422 for a
 * uid other than the stored one (409, a failed precondition). Mutates and returns obj.
 */
export function prepareUpdate(def: ResourceDef, obj: KubeObject, old: KubeObject, name: string): KubeObject {
  obj.apiVersion = groupVersion(def)
  obj.kind = def.kind
  const meta = metaOf(obj)
  const om = old.metadata ?? {}
  if (meta.name && meta.name !== name)
    throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`)
  if (def.namespaced && meta.namespace && meta.namespace !== om.namespace)
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
  // a uid in the body is a precondition (the kubelet sends one so a recreated pod is not overwritten)
  if (meta.uid && meta.uid !== om.uid)
    throw conflict(
      def.plural,
      def.group,
      name,
      `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${om.uid}`,
    )
  meta.name = om.name
  if (def.namespaced) meta.namespace = om.namespace
  meta.uid = om.uid
  if (om.creationTimestamp) meta.creationTimestamp = om.creationTimestamp
  if (om.deletionTimestamp) {
    const added = (meta.finalizers ?? []).filter((f) => !(om.finalizers ?? []).includes(f))
    if (added.length > 0)
      throw invalid(def.kind, def.group, name, [
        {
          type: 'FieldValueForbidden',
          field: 'metadata.finalizers',
          message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
        },
      ])
    meta.deletionTimestamp = om.deletionTimestamp
    if (om.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds
    else delete meta.deletionGracePeriodSeconds
  } else {
    delete meta.deletionTimestamp
    delete meta.deletionGracePeriodSeconds
  }
  delete meta.selfLink
  if (tracksGeneration(def)) {
    const gen = om.generation ?? 1
    meta.generation = specChanged(obj, old, def) ? gen + 1 : gen
  } else delete meta.generation
  return typeFirst(obj)
}

/** Stored bytes never carry resourceVersion: it is the datastore's mod revision (upstream's versioner). */
export function encodeForStorage(obj: KubeObject): Uint8Array {
  const { resourceVersion: _rv, ...meta } = obj.metadata ?? {}
  return new TextEncoder().encode(JSON.stringify({ ...obj, metadata: meta }))
}

export function decodeFromStorage(value: Uint8Array, modRevision: number): KubeObject {
  const obj = JSON.parse(new TextDecoder().decode(value)) as KubeObject
  metaOf(obj).resourceVersion = String(modRevision)
  return obj
}

/** Equal apart from resourceVersion and managedFields timestamps: an update that would change nothing. */
export function sameStoredObject(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => ({
    ...o,
    metadata: {
      ...o.metadata,
      resourceVersion: undefined,
      managedFields: o.metadata?.managedFields?.map((f) => ({ ...f, time: undefined })),
    },
  })
  return deepEqual(strip(a), strip(b))
}
