// The kinds whose storage differs from the generic rules, keyed `group/plural`.
import type { ResourceDef } from '../../../registry/types.ts'
import type { KindStrategy } from '../kind-strategy.ts'
import { namespaceStrategy } from './namespaces.ts'
import { podStrategy } from './pods.ts'

const byResource: Record<string, KindStrategy> = {
  '/pods': podStrategy,
  '/namespaces': namespaceStrategy,
}

/** Generic rule for kinds with a status subresource: clients cannot set status on create (nodes can). */
const statusReset: KindStrategy = {
  prepareCreate(obj) {
    delete obj.status
  },
}

export function strategyFor(def: ResourceDef, extra: Record<string, KindStrategy> = {}): KindStrategy {
  const k = `${def.group}/${def.plural}`
  const s = extra[k] ?? byResource[k]
  if (s) return s
  if (def.subresources?.status && k !== '/nodes') return statusReset
  return {}
}
