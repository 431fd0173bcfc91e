// The patch library the API server calls for PATCH requests: pick the patch type from the Content-Type,
// decode the body, apply it to the live object. Pure: no I/O, inputs are never mutated.
//
// Integration: for json/merge/strategic patches the API server defaults/validates the returned object and
// then records ownership with `updateManagedFields(live, object, manager, 'Update', apiVersion, subresource,
// { schema, resetFields })` (as for create and update). For apply the returned object already carries its
// managedFields; defaulting afterwards does not change them (upstream appliers do not own defaults).
import YAML from 'yaml'
import { ApiError } from '../../../shared/errors.ts'
import type { JsonSchema } from '../../registry/types.ts'
import { applyPatch } from './apply.ts'
import { patchBadRequest } from './errors.ts'
import { applyJsonPatch } from './json-patch.ts'
import { isObject, type JsonObject } from './json-value.ts'
import type { ManagedFieldsEntry } from './managed-fields.ts'
import { applyMergePatch, assertMergePatchDocument } from './merge-patch.ts'
import { applyStrategicMergePatch } from './strategic-merge.ts'

export { ApplyConflictError, applyConflictStatus, applyPatch, BEFORE_FIRST_APPLY } from './apply.ts'
export { PatchError } from './errors.ts'
export { applyJsonPatch } from './json-patch.ts'
export { type ManagedFieldsEntry, updateManagedFields } from './managed-fields.ts'
export { applyMergePatch } from './merge-patch.ts'
export { applyStrategicMergePatch } from './strategic-merge.ts'

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply'

export const PATCH_CONTENT_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
}

/** `application/merge-patch+json; charset=utf-8` → 'merge'; unknown → undefined (answer with unsupportedPatchType()). */
export function patchTypeOf(contentType: string | null | undefined): PatchType | undefined {
  const media = (contentType ?? '').split(';')[0].trim().toLowerCase()
  return PATCH_CONTENT_TYPES[media]
}

/** 415 as upstream: custom resources do not accept strategic merge patches. */
export function unsupportedPatchType(strategic = true): ApiError {
  const accepted = Object.entries(PATCH_CONTENT_TYPES)
    .filter(([, t]) => strategic || t !== 'strategic')
    .map(([m]) => m)
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  )
}

/** Parses the request body: JSON for the three patch types, YAML or JSON for apply. Malformed → 400. */
export function decodePatchBody(type: PatchType, body: string | Uint8Array): unknown {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body)
  if (type === 'apply') {
    let doc: unknown
    try {
      // Duplicate keys are left to fieldValidation (Strict rejects them, Ignore keeps the last), as upstream.
      doc = YAML.parse(text, { uniqueKeys: false })
    } catch (e) {
      throw patchBadRequest(`error decoding YAML: ${(e as Error).message}`)
    }
    if (!isObject(doc)) throw patchBadRequest('error decoding YAML: the apply configuration must be an object')
    return doc
  }
  try {
    return JSON.parse(text)
  } catch (e) {
    const message = (e as Error).message
    throw patchBadRequest(type === 'merge' ? `error decoding patch: ${message}` : message)
  }
}

export interface PatchContext {
  /** The kind's schema (strategic merge keys, apply list types). */
  schema?: JsonSchema
  /** false for custom resources: a strategic merge patch is answered with 415 as upstream. */
  strategicMerge?: boolean
  /** fieldManager (required for apply: upstream answers 400 without it). */
  manager?: string
  /** ?force=true on apply */
  force?: boolean
  subresource?: string
  /** Top-level fields this endpoint does not own (see managed-fields.ts FieldOptions.resetFields). */
  resetFields?: string[]
  now?: string
}

export interface PatchResult {
  object: JsonObject
  /** Set for apply only; other patch types leave ownership to updateManagedFields after defaulting. */
  managedFields?: ManagedFieldsEntry[]
}

/** Applies a PATCH body (raw, or already decoded) of `type` to `live` (undefined: apply may create). */
export function patch(
  type: PatchType,
  live: JsonObject | undefined,
  body: string | Uint8Array | unknown,
  ctx: PatchContext = {},
): PatchResult {
  const doc = typeof body === 'string' || body instanceof Uint8Array ? decodePatchBody(type, body) : body
  switch (type) {
    case 'json':
      return { object: applyJsonPatch(live ?? {}, doc) }
    case 'merge':
      assertMergePatchDocument(doc)
      return { object: applyMergePatch(live ?? {}, doc) }
    case 'strategic':
      if (ctx.strategicMerge === false) throw unsupportedPatchType(false)
      return { object: applyStrategicMergePatch(live ?? {}, doc, ctx.schema) }
    case 'apply': {
      if (!ctx.manager)
        throw patchBadRequest(
          'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        )
      if (!isObject(doc)) throw patchBadRequest('error decoding YAML: the apply configuration must be an object')
      return applyPatch(live, doc, ctx.manager, {
        force: ctx.force,
        schema: ctx.schema,
        subresource: ctx.subresource,
        resetFields: ctx.resetFields,
        now: ctx.now,
      })
    }
  }
}
