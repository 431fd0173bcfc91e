// Pod facts the workload controllers share (upstream pkg/api/v1/pod and pkg/controller).
import type { KubeObject } from '../../registry/types.ts'

export type Pod = KubeObject

export const condition = (obj: KubeObject, type: string) =>
  (obj.status?.conditions ?? []).find((c: { type: string }) => c.type === type)

export const isPodReady = (p: Pod): boolean => condition(p, 'Ready')?.status === 'True'

export const isTerminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed'

/** Counts toward a controller's replicas: not finished and not being deleted (controller.IsPodActive). */
export const isPodActive = (p: Pod): boolean => !isTerminal(p) && !p.metadata?.deletionTimestamp

/** Ready for at least minReadySeconds (podutil.IsPodAvailable). */
export function isPodAvailable(p: Pod, minReadySeconds: number, now: number): boolean {
  const ready = condition(p, 'Ready')
  if (ready?.status !== 'True') return false
  if (!minReadySeconds) return true
  const since = Date.parse(ready.lastTransitionTime ?? '')
  return Number.isNaN(since) || since + minReadySeconds * 1000 <= now
}

/** Milliseconds until a ready pod becomes available, or undefined when nothing is pending. */
export function msUntilAvailable(p: Pod, minReadySeconds: number, now: number): number | undefined {
  const ready = condition(p, 'Ready')
  if (ready?.status !== 'True' || !minReadySeconds) return undefined
  const at = Date.parse(ready.lastTransitionTime ?? '') + minReadySeconds * 1000
  return at > now ? at - now : undefined
}

export type OwnerOf = KubeObject

export const controllerRef = (owner: OwnerOf) => ({
  apiVersion: owner.apiVersion ?? '',
  kind: owner.kind ?? '',
  name: owner.metadata?.name ?? '',
  uid: owner.metadata?.uid ?? '',
  controller: true,
  blockOwnerDeletion: true,
})

/** A pod from a controller's template (controller.GetPodFromTemplate): labels, annotations and
 * finalizers from the template, generateName `<owner>-`, the owner as controller. */
export function podFromTemplate(
  template: KubeObject | undefined,
  owner: OwnerOf,
  extra: {
    name?: string
    labels?: Record<string, string>
    annotations?: Record<string, string>
    finalizers?: string[]
  } = {},
): Pod {
  const t = structuredClone(template ?? {})
  const meta = t.metadata ?? {}
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(extra.name ? { name: extra.name } : { generateName: `${owner.metadata?.name}-` }),
      namespace: owner.metadata?.namespace,
      labels: { ...meta.labels, ...extra.labels },
      ...(meta.annotations || extra.annotations ? { annotations: { ...meta.annotations, ...extra.annotations } } : {}),
      ...(meta.finalizers || extra.finalizers
        ? { finalizers: [...(meta.finalizers ?? []), ...(extra.finalizers ?? [])] }
        : {}),
      ownerReferences: [controllerRef(owner)],
    },
    spec: t.spec ?? {},
  }
}

/** Stable short hash (FNV-1a 32, rendered as upstream's SafeEncodeString alphabet) for template hashes. */
export function shortHash(value: unknown): string {
  const s = JSON.stringify(value, Object.keys(flattenKeys(value)).sort())
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return safeEncode(String(h))
}

// a JSON.stringify replacer array must list every key at every depth to sort them stably
function flattenKeys(v: unknown, out: Record<string, true> = {}): Record<string, true> {
  if (Array.isArray(v)) for (const x of v) flattenKeys(x, out)
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      out[k] = true
      flattenKeys(x, out)
    }
  return out
}

// upstream rand.SafeEncodeString: no vowels or ambiguous characters, so hashes never spell words
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789'
function safeEncode(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) out += ALPHANUMS[s.charCodeAt(i) % ALPHANUMS.length]
  return out
}

export const nowRfc3339 = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
