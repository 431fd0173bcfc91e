// Public face of the resource registry.
//
// One source of truth per kind: the upstream OpenAPI schema (generated into schemas/definitions.json by
// scripts/gen-schemas.ts from the kubernetes-models packages, with the x-kubernetes-* patch/list extensions
// added) validates and prunes objects (validate.ts), feeds /openapi/v2 and /openapi/v3 (kubectl explain,
// kubectl apply) and carries the merge keys strategic merge patch and server-side apply read. DESIGN.md's
// valibot → JSON Schema path was not taken: an upstream-generated schema is already the JSON Schema kubectl
// expects, with upstream descriptions, which a hand-written valibot schema could only approximate.
import { builtinDefs } from './kinds/index.ts'
import { Registry } from './registry.ts'

export { compareKubeVersions, Registry } from './registry.ts'
export * from './types.ts'

/** A fresh Registry holding every built-in kind (each call returns a new, independent Registry). */
export function builtinRegistry(): Registry {
  return new Registry(builtinDefs())
}
export { applySchemaDefaults, crdDefaults, defFromCrd, defsFromCrd, printerColumn, validateCrd } from './crd.ts'
export { findDuplicateKeys } from './duplicate-keys.ts'
export { jsonPath } from './jsonpath.ts'
export { definition, definitionName, kindSchema } from './schemas/index.ts'
export { type RenderTableOptions, renderTable, tableColumns } from './table.ts'
export {
  duplicateFieldMessage,
  type StructuralOptions,
  type StructuralResult,
  unknownFieldMessage,
  validateStructure,
} from './validate.ts'
