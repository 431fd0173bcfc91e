// The 409 Conflict of optimistic concurrency, worded as upstream.
import { ApiError, conflict } from '../../../shared/errors.ts'
import type { KubeObject } from '../../registry/types.ts'
import type { StoreCore } from './store-core.ts'

export const conflictFor = (core: StoreCore, name: string) => conflict(core.def.plural, core.def.group, name)

export const isConflict = (err: unknown) => err instanceof ApiError && err.code === 409 && err.reason === 'Conflict'

/** A metadata.uid in a written body must be the stored object's (upstream's UID precondition). */
export function checkUid(core: StoreCore, name: string, body: KubeObject, live: KubeObject): void {
  const uid = body.metadata?.uid
  if (uid && uid !== live.metadata?.uid)
    throw conflict(
      core.def.plural,
      core.def.group,
      name,
      `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${live.metadata?.uid}`,
    )
}
