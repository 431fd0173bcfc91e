// Every built-in kind, in discovery order.
import type { ResourceDef } from '../types.ts'
import { coreDefs } from './core.ts'

export const builtinDefs = (): ResourceDef[] => [...coreDefs()]
