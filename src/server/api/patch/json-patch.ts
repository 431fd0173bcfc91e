// RFC 6902 JSON Patch over plain JSON values, with RFC 6901 JSON Pointers.
// Messages follow evanphx/json-patch, the library kube-apiserver uses, because kubectl prints them as-is.
import { PatchError, patchBadRequest, patchUnprocessable } from './errors.ts'
import { clone, deepEqual, isObject } from './json-value.ts'

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test'
  path: string
  from?: string
  value?: unknown
}

/** Upstream caps a JSON patch at 10000 operations (patch.go maxJSONPatchOperations). */
const MAX_OPERATIONS = 10000

/** Parses `/a/b~1c` into `['a', 'b/c']`; `''` is the whole document. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) throw patchUnprocessable(`JSON pointer must be empty or start with a "/": ${pointer}`)
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
}

export const formatPointer = (tokens: string[]) =>
  tokens.map((t) => `/${t.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')

/** Checks the document is an array of operations: a malformed patch is a 400 like upstream's DecodePatch. */
export function decodeJsonPatch(body: unknown): JsonPatchOperation[] {
  if (!Array.isArray(body)) throw patchBadRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch')
  if (body.length > MAX_OPERATIONS)
    throw new PatchError(
      413,
      'RequestEntityTooLarge',
      `The allowed maximum operations in a JSON patch is ${MAX_OPERATIONS}, got ${body.length}`,
    )
  for (const op of body)
    if (!isObject(op)) throw patchBadRequest('json: cannot unmarshal into Go value of type jsonpatch.Operation')
  return body as JsonPatchOperation[]
}

/** Applies `ops` to a copy of `doc`; the input is never mutated. Throws PatchError (422) on a failed operation. */
export function applyJsonPatch<T>(doc: T, body: unknown): T {
  const ops = decodeJsonPatch(body)
  let root: unknown = clone(doc)
  for (const op of ops) root = applyOne(root, op)
  return root as T
}

function applyOne(root: unknown, op: JsonPatchOperation): unknown {
  if (typeof op.path !== 'string') throw patchUnprocessable(`${op.op} operation, missing path field`)
  const needsValue = op.op === 'add' || op.op === 'replace' || op.op === 'test'
  if (needsValue && !('value' in op)) throw patchUnprocessable(`${op.op} operation, missing value field`)
  const path = parsePointer(op.path)
  switch (op.op) {
    case 'add':
      return add(root, path, clone(op.value), `add operation does not apply: doc is missing path: "${op.path}"`)
    case 'remove':
      return remove(root, path, `remove operation does not apply: doc is missing path: "${op.path}"`).root
    case 'replace': {
      const missing = `replace operation does not apply: doc is missing key: ${op.path}`
      if (!has(root, path)) throw patchUnprocessable(`${missing}: missing value`)
      const removed = remove(root, path, missing).root
      return add(removed, path, clone(op.value), missing)
    }
    case 'move': {
      const from = parsePointer(requireFrom(op))
      if (path.length > from.length && deepEqual(path.slice(0, from.length), from))
        throw patchUnprocessable(`move operation does not apply: cannot move "${op.from}" into its own child`)
      const taken = remove(root, from, `move operation does not apply: doc is missing from path: ${op.from}`)
      return add(
        taken.root,
        path,
        taken.value,
        `move operation does not apply: doc is missing destination path: ${op.path}`,
      )
    }
    case 'copy': {
      const from = parsePointer(requireFrom(op))
      if (!has(root, from))
        throw patchUnprocessable(`copy operation does not apply: doc is missing from path: ${op.from}: missing value`)
      return add(
        root,
        path,
        clone(get(root, from)),
        `copy operation does not apply: doc is missing destination path: ${op.path}`,
      )
    }
    case 'test':
      if (!has(root, path) || !deepEqual(get(root, path), op.value))
        throw patchUnprocessable(`testing value ${op.path} failed: test failed`)
      return root
    default:
      throw patchUnprocessable(`Unexpected kind: ${String((op as { op: unknown }).op)}`)
  }
}

function requireFrom(op: JsonPatchOperation): string {
  if (typeof op.from !== 'string') throw patchUnprocessable(`${op.op} operation, missing from field`)
  return op.from
}

function arrayIndex(arr: unknown[], token: string, allowEnd: boolean): number {
  if (allowEnd && token === '-') return arr.length
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw patchUnprocessable(`Unable to access invalid index: ${token}`)
  const i = Number(token)
  if (i > arr.length || (!allowEnd && i === arr.length))
    throw patchUnprocessable(`Unable to access invalid index: ${i}: invalid index referenced`)
  return i
}

function has(root: unknown, path: string[]): boolean {
  let cur: unknown = root
  for (const t of path) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9][0-9]*)$/.test(t) || Number(t) >= cur.length) return false
      cur = cur[Number(t)]
    } else if (isObject(cur) && Object.hasOwn(cur, t)) cur = cur[t]
    else return false
  }
  return true
}

const get = (root: unknown, path: string[]) =>
  path.reduce<any>((cur, t) => (Array.isArray(cur) ? cur[Number(t)] : cur[t]), root)

function parentOf(root: unknown, path: string[], missing: string): unknown {
  const parentPath = path.slice(0, -1)
  if (!has(root, parentPath)) throw patchUnprocessable(`${missing}: missing value`)
  return get(root, parentPath)
}

function add(root: unknown, path: string[], value: unknown, missing: string): unknown {
  if (path.length === 0) return value
  const parent = parentOf(root, path, missing)
  const last = path[path.length - 1]
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, true), 0, value)
  else if (isObject(parent)) parent[last] = value
  else throw patchUnprocessable(`${missing}: missing value`)
  return root
}

function remove(root: unknown, path: string[], missing: string): { root: unknown; value: unknown } {
  if (path.length === 0) return { root: null, value: root }
  if (!has(root, path)) throw patchUnprocessable(`${missing}: missing value`)
  const parent = get(root, path.slice(0, -1))
  const last = path[path.length - 1]
  if (Array.isArray(parent)) return { root, value: parent.splice(Number(last), 1)[0] }
  const value = parent[last]
  delete parent[last]
  return { root, value }
}
