// apps/v1 Deployments (pkg/registry/apps/deployment/strategy.go): annotation changes bump generation
// too, because the controller copies annotations onto its ReplicaSets and must notice them. The status
// subresource keeps only spec and labels from the live object, so the controller records
// `deployment.kubernetes.io/revision` with its status write without bumping generation.

import { deepEqual } from '../../patch/json-value.ts'
import type { KindStrategy } from '../kind-strategy.ts'

// The controller's own bookkeeping annotations. Upstream writes them through the status subresource, so
// they never bump generation; an in-process controller writing them on the main resource must not either
// (a fresh Deployment reads generation 1, as on a real cluster).
const CONTROLLER_ANNOTATIONS = ['deployment.kubernetes.io/revision', 'deployment.kubernetes.io/revision-history']

function userAnnotations(a: Record<string, string> | undefined): Record<string, string> {
  const out = { ...(a ?? {}) }
  for (const k of CONTROLLER_ANNOTATIONS) delete out[k]
  return out
}

export const deploymentStrategy: KindStrategy = {
  prepareCreate(obj) {
    delete obj.status
  },
  prepareUpdate(obj, old) {
    const meta = obj.metadata as { generation?: number; annotations?: Record<string, string> }
    const gen = old.metadata?.generation ?? 1
    if (
      meta.generation === gen &&
      !deepEqual(userAnnotations(meta.annotations), userAnnotations(old.metadata?.annotations))
    )
      meta.generation = gen + 1
  },
  prepareStatusUpdate(next, requested) {
    // a status write that does not carry annotations leaves them alone (a partial body is not a removal)
    const annotations = requested.metadata?.annotations
    if (annotations === undefined) return
    next.metadata = { ...next.metadata, annotations }
    if (annotations === null || Object.keys(annotations).length === 0) delete next.metadata.annotations
  },
}
