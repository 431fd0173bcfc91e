// Public face of the resource registry.
import { builtinDefs } from './kinds/index.ts'
import { Registry } from './registry.ts'

export { compareKubeVersions, Registry } from './registry.ts'
export type * from './types.ts'

/** A fresh Registry holding every built-in kind (each call returns a new, independent Registry). */
export function builtinRegistry(): Registry {
  return new Registry(builtinDefs())
}
