// pods/ephemeralcontainers (what `kubectl debug` patches): changes nothing but spec.ephemeralContainers,
// which may only grow (upstream EphemeralContainersREST + ValidatePodEphemeralContainersUpdate).
import { invalid } from '../../../shared/errors.ts'
import type { KubeObject } from '../../registry/types.ts'
import { validateEphemeralContainersUpdate } from '../../registry/validation/pod.ts'
import type { StoreCore } from './store-core.ts'

export const EPHEMERAL = 'ephemeralcontainers'

export const servesEphemeralContainers = (core: StoreCore) => core.def.group === '' && core.def.plural === 'pods'

/** The live pod with `obj`'s ephemeral containers; throws 422 for removed, changed or invalid ones. */
export function withEphemeralContainers(core: StoreCore, obj: KubeObject, old: KubeObject, name: string): KubeObject {
  const next = structuredClone(old)
  next.spec = { ...next.spec }
  if (obj.spec?.ephemeralContainers?.length) next.spec.ephemeralContainers = obj.spec.ephemeralContainers
  else delete next.spec.ephemeralContainers
  const errs = validateEphemeralContainersUpdate(next, old)
  if (errs.length > 0) throw invalid(core.def.kind, core.def.group, name, errs)
  return next
}
