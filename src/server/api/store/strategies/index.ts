// The kinds whose storage differs from the generic rules, keyed `group/plural`.
import type { ResourceDef } from '../../../registry/types.ts'
import type { KindStrategy } from '../kind-strategy.ts'
import { deploymentStrategy } from './deployments.ts'
import { jobStrategy } from './jobs.ts'
import { namespaceStrategy } from './namespaces.ts'
import { podStrategy } from './pods.ts'
import { pendingPhase } from './volumes.ts'

const byResource: Record<string, KindStrategy> = {
  '/pods': podStrategy,
  '/namespaces': namespaceStrategy,
  'apps/deployments': deploymentStrategy,
  'batch/jobs': jobStrategy,
  '/persistentvolumes': pendingPhase,
  '/persistentvolumeclaims': pendingPhase,
}

/** Generic rule for kinds with a status subresource: clients cannot set status on create (nodes can). */
const statusReset: KindStrategy = {
  prepareCreate(obj) {
    delete obj.status
  },
}

// Upstream strategies whose AllowCreateOnUpdate is true: a PUT of a missing object creates it
// (RBAC reconciliation, endpoints and lease writers rely on it). Everything else answers 404.
const createOnUpdate = new Set([
  '/endpoints',
  '/events',
  'events.k8s.io/events',
  '/limitranges',
  '/replicationcontrollers',
  '/services',
  'coordination.k8s.io/leases',
  'rbac.authorization.k8s.io/roles',
  'rbac.authorization.k8s.io/rolebindings',
  'rbac.authorization.k8s.io/clusterroles',
  'rbac.authorization.k8s.io/clusterrolebindings',
])

export function strategyFor(def: ResourceDef, extra: Record<string, KindStrategy> = {}): KindStrategy {
  const k = `${def.group}/${def.plural}`
  const base = extra[k] ?? byResource[k] ?? (def.subresources?.status && k !== '/nodes' ? statusReset : {})
  return createOnUpdate.has(k) ? { ...base, allowCreateOnUpdate: true } : base
}
