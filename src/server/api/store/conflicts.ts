// The 409 Conflict of optimistic concurrency, worded as upstream.
import { ApiError, conflict } from '../../../shared/errors.ts'
import type { StoreCore } from './store-core.ts'

export const conflictFor = (core: StoreCore, name: string) => conflict(core.def.plural, core.def.group, name)

export const isConflict = (err: unknown) => err instanceof ApiError && err.code === 409 && err.reason === 'Conflict'
