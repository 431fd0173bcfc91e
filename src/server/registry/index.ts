// Public face of the resource registry.
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
