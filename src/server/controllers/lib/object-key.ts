// Cache and queue keys: `namespace/name` for namespaced objects, `name` for cluster-scoped ones (as
// client-go's MetaNamespaceKeyFunc).
import type { KubeObject } from '../../registry/types.ts'

export const keyOf = (obj: KubeObject): string => {
  const ns = obj.metadata?.namespace
  return ns ? `${ns}/${obj.metadata?.name}` : (obj.metadata?.name ?? '')
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/')
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) }
}

/** The owner that is the managing controller (`controller: true`), if any. */
export const controllerOf = (obj: KubeObject) =>
  (obj.metadata?.ownerReferences ?? []).find((r: { controller?: boolean }) => r.controller)
