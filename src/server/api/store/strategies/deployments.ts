// apps/v1 Deployments (pkg/registry/apps/deployment/strategy.go): annotation changes bump generation
// too, because the controller copies annotations onto its ReplicaSets and must notice them.

import { deepEqual } from '../../patch/json-value.ts'
import type { KindStrategy } from '../kind-strategy.ts'

export const deploymentStrategy: KindStrategy = {
  prepareCreate(obj) {
    delete obj.status
  },
  prepareUpdate(obj, old) {
    const meta = obj.metadata as { generation?: number; annotations?: unknown }
    const gen = old.metadata?.generation ?? 1
    if (meta.generation === gen && !deepEqual(meta.annotations ?? {}, old.metadata?.annotations ?? {}))
      meta.generation = gen + 1
  },
}
