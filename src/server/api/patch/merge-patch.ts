// RFC 7386 JSON Merge Patch: objects merge recursively, `null` deletes, everything else (lists included)
// replaces. kubectl sends it for `label`, `annotate`, `scale` and client-side apply of custom resources.
import { patchBadRequest } from './errors.ts'
import { clone, isObject } from './json-value.ts'

/** Returns the patched copy of `target`; inputs are never mutated. A non-object patch replaces the whole target. */
export function applyMergePatch<T>(target: T, patch: unknown): T {
  return mergeValue(target, patch) as T
}

/** Upstream (evanphx MergePatch) refuses a patch that is not a JSON object with ErrBadJSONPatch → 400. */
export function assertMergePatchDocument(patch: unknown): asserts patch is Record<string, unknown> {
  if (!isObject(patch)) throw patchBadRequest('Invalid JSON Patch')
}

function mergeValue(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch)
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else out[k] = mergeValue(out[k], v)
  }
  // Untouched members are shared with `target` by the spread above: copy them so callers own the result.
  for (const k of Object.keys(out)) if (!Object.hasOwn(patch, k)) out[k] = clone(out[k])
  return out
}
