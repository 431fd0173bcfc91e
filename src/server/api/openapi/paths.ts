// REST paths and operations per resource for the OpenAPI documents. kubectl reads one fact from them:
// a PATCH operation tagged with the kind's x-kubernetes-group-version-kind that declares the
// `fieldValidation` query parameter means "the server validates; send ?fieldValidation=Strict".
import type { ResourceDef, Verb } from '../../registry/types.ts'
import { ALL_VERBS } from '../../registry/types.ts'
import { isBuiltinGroup } from '../store/keys.ts'
import type { Dialect } from './schema-refs.ts'

const CONTENT = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']
const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
]

/** Custom resources take no strategic merge patch (415): kubectl then computes a merge patch for apply,
 * as it decides from the PATCH operation's accepted content types. */
const patchTypesOf = (def: ResourceDef) =>
  isBuiltinGroup(def.group) ? PATCH_TYPES : PATCH_TYPES.filter((t) => !t.includes('strategic'))

const q = (name: string, description: string, type = 'string') => ({ name, in: 'query', description, type })
const FIELD_VALIDATION = q(
  'fieldValidation',
  'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.',
)
const DRY_RUN = q(
  'dryRun',
  'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed',
)
const FIELD_MANAGER = q(
  'fieldManager',
  'fieldManager is a name associated with the actor or entity that is making these changes.',
)
const FORCE = q(
  'force',
  'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people.',
  'boolean',
)
const NAME = { name: 'name', in: 'path', required: true, description: 'name of the resource', type: 'string' }
const NAMESPACE = {
  name: 'namespace',
  in: 'path',
  required: true,
  description: 'object name and auth scope, such as for teams and projects',
  type: 'string',
}

const pascal = (s: string) => s.replace(/(^|[.-])(\w)/g, (_, __, c: string) => c.toUpperCase())

export function resourcePaths(def: ResourceDef, ref: string, dialect: Dialect): Record<string, unknown> {
  const verbs = new Set<Verb>(def.verbs ?? ALL_VERBS)
  const gvk = { group: def.group, kind: def.kind, version: def.version }
  const prefix = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`
  const base = `${prefix}${def.namespaced ? '/namespaces/{namespace}' : ''}/${def.plural}`
  const opBase = `${pascal(def.group || 'core')}${pascal(def.version)}${def.namespaced ? 'Namespaced' : ''}${def.kind}`
  const param = (p: Record<string, unknown>) =>
    dialect === 'v3'
      ? { name: p.name, in: p.in, required: p.required, description: p.description, schema: { type: p.type } }
      : p
  const body = (types: string[], schemaRef: string) =>
    dialect === 'v3'
      ? {
          requestBody: {
            required: true,
            content: Object.fromEntries(types.map((t) => [t, { schema: { $ref: schemaRef } }])),
          },
        }
      : { consumes: types, parameters: [{ name: 'body', in: 'body', required: true, schema: { $ref: schemaRef } }] }
  const ok = (code: string) =>
    dialect === 'v3'
      ? {
          [code]: {
            description: 'OK',
            content: Object.fromEntries(CONTENT.map((t) => [t, { schema: { $ref: ref } }])),
          },
        }
      : { [code]: { description: 'OK', schema: { $ref: ref } } }
  const patchRef =
    dialect === 'v3'
      ? '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch'
      : '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch'
  const op = (action: string, id: string, params: Record<string, unknown>[], extra: Record<string, unknown> = {}) => {
    const merged = { ...extra } as Record<string, any>
    const all = [...params.map(param), ...((merged.parameters as unknown[]) ?? [])]
    delete merged.parameters
    return {
      description: `${action} ${def.kind}`,
      operationId: `${action}${id}`,
      ...(dialect === 'v2' ? { produces: CONTENT, schemes: ['https'] } : {}),
      parameters: all,
      ...merged,
      responses: ok(action === 'create' ? '201' : '200'),
      tags: [`${def.group || 'core'}_${def.version}`],
      'x-kubernetes-action': action === 'read' ? 'get' : action === 'replace' ? 'put' : action,
      'x-kubernetes-group-version-kind': gvk,
    }
  }
  const writeParams = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION]
  const paths: Record<string, Record<string, unknown>> = {}
  const coll: Record<string, unknown> = {}
  if (verbs.has('list')) coll.get = op('list', opBase, [])
  if (verbs.has('create')) coll.post = op('create', opBase, writeParams, body(['*/*'], ref))
  if (verbs.has('deletecollection')) coll.delete = op('deletecollection', opBase, [DRY_RUN])
  if (Object.keys(coll).length) paths[base] = { ...coll, parameters: def.namespaced ? [param(NAMESPACE)] : [] }

  const item = (suffix: string, idSuffix: string) => {
    const o: Record<string, unknown> = {}
    if (verbs.has('get')) o.get = op('read', opBase + idSuffix, [])
    if (verbs.has('update')) o.put = op('replace', opBase + idSuffix, writeParams, body(['*/*'], ref))
    if (verbs.has('patch'))
      o.patch = op('patch', opBase + idSuffix, [...writeParams, FORCE], body(patchTypesOf(def), patchRef))
    if (!suffix && verbs.has('delete')) o.delete = op('delete', opBase, [DRY_RUN])
    if (Object.keys(o).length)
      paths[`${base}/{name}${suffix}`] = {
        ...o,
        parameters: [param(NAME), ...(def.namespaced ? [param(NAMESPACE)] : [])],
      }
  }
  if (verbs.has('get') || verbs.has('update') || verbs.has('patch') || verbs.has('delete')) item('', '')
  if (def.subresources?.status) item('/status', 'Status')
  return paths
}
