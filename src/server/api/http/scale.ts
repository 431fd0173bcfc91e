// The generic scale subresource (autoscaling/v1 Scale) read from the paths a ResourceDef declares,
// as upstream's deployments/scale and CRD scale subresources.
import type { KubeObject, ResourceDef } from '../../registry/types.ts'

/** `.spec.replicas` → value at that JSON path (leading dot optional). */
export function readPath(obj: unknown, path: string): unknown {
  let cur: any = obj
  for (const part of path.replace(/^\./, '').split('.')) {
    if (cur == null || typeof cur !== 'object') return undefined
    cur = cur[part]
  }
  return cur
}

/** A label selector object → its string form (`app=web,tier in (a,b)`), as Scale.status.selector. */
export function selectorString(sel: any): string {
  if (typeof sel === 'string') return sel
  if (!sel || typeof sel !== 'object') return ''
  const parts: string[] = []
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) parts.push(`${k}=${v}`)
  for (const e of sel.matchExpressions ?? []) {
    const vals = (e.values ?? []).join(',')
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`)
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`)
    else if (e.operator === 'Exists') parts.push(e.key)
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`)
  }
  return parts.join(',')
}

export function toScale(def: ResourceDef, obj: KubeObject): KubeObject {
  if (obj.kind === 'Scale') return obj
  const sc = def.subresources?.scale
  const m = obj.metadata ?? {}
  const replicas = Number(readPath(obj, sc?.specReplicasPath ?? '.spec.replicas') ?? 0)
  const statusReplicas = Number(readPath(obj, sc?.statusReplicasPath ?? '.status.replicas') ?? 0)
  const selector = sc?.labelSelectorPath ? readPath(obj, sc.labelSelectorPath) : obj.spec?.selector
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      ...(m.namespace ? { namespace: m.namespace } : {}),
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas },
    status: { replicas: statusReplicas, ...(selector ? { selector: selectorString(selector) } : {}) },
  }
}

/** autoscaling/v1 Scale as a table kind (`kubectl get --subresource=scale`): DESIRED and AVAILABLE, as upstream. */
export const SCALE_DEF: ResourceDef = {
  group: 'autoscaling',
  version: 'v1',
  kind: 'Scale',
  plural: 'scale',
  singular: 'scale',
  namespaced: true,
  columns: [
    { name: 'Name', type: 'string', format: 'name', get: (o) => o.metadata?.name ?? '' },
    { name: 'Desired', type: 'integer', get: (o) => o.spec?.replicas ?? 0 },
    { name: 'Available', type: 'integer', get: (o) => o.status?.replicas ?? 0 },
  ],
}
