// CustomResourceDefinition → ResourceDef, as apiextensions-apiserver serves custom resources:
// names and scope from the CRD, the structural openAPIV3Schema for validation/pruning/defaulting/OpenAPI,
// status and scale subresources, additionalPrinterColumns (default: Age), selectableFields.
import { since } from './columns/format.ts'
import { jsonPath } from './jsonpath.ts'
import { refWith } from './schemas/index.ts'
import type { Column, FieldError, JsonSchema, KubeObject, ResourceDef } from './types.ts'
import { invalid, required } from './validation/field-errors.ts'
import { validateObjectMeta } from './validation/object-meta.ts'

type Obj = Record<string, any>

/** Root schema: the CRD's own, plus apiVersion/kind/metadata that every object has (kubectl explain shows them). */
function rootSchema(s: JsonSchema | undefined): JsonSchema {
  const base: JsonSchema = s ? { ...s } : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }
  base.type ??= 'object'
  base.properties = {
    apiVersion: {
      type: 'string',
      description:
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
    },
    kind: {
      type: 'string',
      description:
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
    },
    ...base.properties,
    metadata: refWith('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', {
      description:
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
    })!,
  }
  return base
}

/** Structural defaulting: `default` values of the schema fill unset fields, recursively (apiextensions). */
export function applySchemaDefaults(v: unknown, s: JsonSchema | undefined): void {
  if (!s || v === null || typeof v !== 'object') return
  if (Array.isArray(v)) {
    if (s.items) for (const x of v) applySchemaDefaults(x, s.items)
    return
  }
  const o = v as Obj
  for (const [k, ps] of Object.entries(s.properties ?? {})) {
    if (o[k] === undefined && ps.default !== undefined) o[k] = structuredClone(ps.default)
    applySchemaDefaults(o[k], ps)
  }
  if (typeof s.additionalProperties === 'object')
    for (const x of Object.values(o)) applySchemaDefaults(x, s.additionalProperties)
}

const CREATION_DESC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata'

/** An additionalPrinterColumn as a Column; cells typed like apiextensions' table convertor. */
export function printerColumn(c: Obj): Column {
  const type = (
    ['integer', 'number', 'boolean', 'date', 'string'].includes(c.type) ? c.type : 'string'
  ) as Column['type']
  return {
    name: c.name,
    type,
    format: c.format,
    description: c.description ?? '',
    priority: c.priority ?? 0,
    get(o, now) {
      const v = jsonPath(o, c.jsonPath)[0]
      if (v === undefined || v === null) return null
      switch (type) {
        case 'date':
          return typeof v === 'string' ? since(v, now) : '<invalid>'
        case 'integer':
          return typeof v === 'number' ? Math.trunc(v) : null
        case 'number':
          return typeof v === 'number' ? v : null
        case 'boolean':
          return typeof v === 'boolean' ? v : null
        default:
          return typeof v === 'string' ? v : JSON.stringify(v)
      }
    },
  }
}

const AGE_COLUMN = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: CREATION_DESC }

/** The ResourceDef of one version of a CRD (served or not: the caller decides what to register). */
export function defFromCrd(crd: KubeObject, version: string): ResourceDef {
  const spec: Obj = crd.spec ?? {}
  const names: Obj = spec.names ?? {}
  const v: Obj = (spec.versions ?? []).find((x: Obj) => x.name === version) ?? {}
  const namespaced = spec.scope !== 'Cluster'
  const schema = rootSchema(v.schema?.openAPIV3Schema)
  const sub: Obj = v.subresources ?? {}
  const printer: Obj[] = v.additionalPrinterColumns?.length ? v.additionalPrinterColumns : [AGE_COLUMN]
  const columns: Column[] = [
    {
      name: 'Name',
      type: 'string',
      format: 'name',
      description: 'Name must be unique within a namespace.',
      get: (o) => o.metadata?.name ?? '',
    },
    ...printer.map(printerColumn),
  ]
  const fieldSelectors: ResourceDef['fieldSelectors'] = {}
  for (const f of v.selectableFields ?? []) {
    const path = String(f.jsonPath)
    fieldSelectors[path.replace(/^\./, '')] = (o) => {
      const x = jsonPath(o, path)[0]
      return x === undefined || x === null ? '' : String(x)
    }
  }
  return {
    group: spec.group,
    version,
    kind: names.kind,
    listKind: names.listKind ?? `${names.kind}List`,
    plural: names.plural,
    singular: names.singular || String(names.kind ?? '').toLowerCase(),
    namespaced,
    shortNames: names.shortNames,
    categories: names.categories,
    schema,
    subresources: {
      ...(sub.status ? { status: true } : {}),
      ...(sub.scale
        ? {
            scale: {
              specReplicasPath: sub.scale.specReplicasPath,
              statusReplicasPath: sub.scale.statusReplicasPath,
              ...(sub.scale.labelSelectorPath ? { labelSelectorPath: sub.scale.labelSelectorPath } : {}),
            },
          }
        : {}),
    },
    columns,
    fieldSelectors,
    generation: true,
    defaults: (obj) => applySchemaDefaults(obj, schema),
    validate: (obj, old) => validateObjectMeta(obj, { namespaced, nameRule: 'subdomain', old }),
  }
}

/** One ResourceDef per served version, storage version first. */
export function defsFromCrd(crd: KubeObject): ResourceDef[] {
  const versions: Obj[] = crd.spec?.versions ?? []
  return versions
    .filter((v) => v.served !== false)
    .sort((a, b) => Number(!!b.storage) - Number(!!a.storage))
    .map((v) => defFromCrd(crd, v.name))
}

/** Checks on the CustomResourceDefinition object itself (apiextensions validation, the parts users hit). */
export function validateCrd(crd: KubeObject): FieldError[] {
  const spec: Obj = crd.spec ?? {}
  const errs: FieldError[] = []
  const names: Obj = spec.names ?? {}
  if (!spec.group) errs.push(required('spec.group'))
  else if (!spec.group.includes('.'))
    errs.push(invalid('spec.group', spec.group, 'should be a domain with at least one dot'))
  if (!names.plural) errs.push(required('spec.names.plural'))
  if (!names.kind) errs.push(required('spec.names.kind'))
  if (names.plural && spec.group && crd.metadata?.name !== `${names.plural}.${spec.group}`)
    errs.push(invalid('metadata.name', crd.metadata?.name, 'must be spec.names.plural+"."+spec.group'))
  if (!['Namespaced', 'Cluster'].includes(spec.scope))
    errs.push(
      spec.scope
        ? {
            type: 'FieldValueNotSupported',
            field: 'spec.scope',
            message: `Unsupported value: ${JSON.stringify(spec.scope)}: supported values: "Cluster", "Namespaced"`,
          }
        : required('spec.scope'),
    )
  const versions: Obj[] = spec.versions ?? []
  if (!versions.length)
    errs.push(invalid('spec.versions', versions, 'must have exactly one version marked as storage version'))
  else if (versions.filter((v) => v.storage).length !== 1)
    errs.push(
      invalid(
        'spec.versions',
        `[]apiextensions.CustomResourceDefinitionVersion{...}`,
        'must have exactly one version marked as storage version',
      ),
    )
  versions.forEach((v, i) => {
    if (!v.schema?.openAPIV3Schema)
      errs.push(required(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'))
  })
  return errs
}

/** apiextensions v1 defaults on the CRD object. */
export function crdDefaults(crd: KubeObject): void {
  const spec: Obj = (crd.spec ??= {})
  spec.conversion ??= { strategy: 'None' }
  const names: Obj = (spec.names ??= {})
  if (names.kind) {
    names.singular ||= String(names.kind).toLowerCase()
    names.listKind ||= `${names.kind}List`
  }
}
