// LimitRanger and ResourceQuota admission (upstream plugin/pkg/admission/limitranger and resourcequota)
// as a wrapper around kind strategies: pods get container defaults from the namespace's LimitRanges and
// are refused outside their min/max; creates that would exceed a ResourceQuota's hard limits (against
// its last recorded status.used, so a burst may overshoot by what the quota controller has not counted
// yet) are refused with upstream's 403 message.
import { ApiError } from '../../shared/errors.ts'
import type { KindStrategy } from '../api/store/kind-strategy.ts'
import { strategyFor } from '../api/store/strategies/index.ts'
import { builtinRegistry } from '../registry/index.ts'
import type { KubeObject, ResourceDef } from '../registry/types.ts'
import { parseQuantity } from '../scheduler/quantity.ts'
import { formatQuantity, usedFor } from './resource-quota.ts'

type Lookup = (namespace: string, kind: 'limitranges' | 'resourcequotas') => KubeObject[]

const RESOURCES = ['cpu', 'memory', 'ephemeral-storage']

/** The LimitRange item with upstream's defaulting: defaultRequest from default, default from max. */
function containerLimits(ranges: KubeObject[]): KubeObject[] {
  const items = ranges.flatMap((r) => (r.spec?.limits ?? []).filter((l: KubeObject) => l.type === 'Container'))
  return items.map((l: KubeObject) => {
    const def = { ...l.max, ...l.default }
    return { ...l, default: def, defaultRequest: { ...def, ...l.defaultRequest } }
  })
}

/** Applies container defaults to a pod (mutates) and returns the annotation text; throws 403 on min/max. */
export function applyLimitRanges(pod: KubeObject, ranges: KubeObject[]): void {
  const items = containerLimits(ranges)
  if (items.length === 0) return
  const setReq: string[] = []
  const setLim: string[] = []
  const problems: string[] = []
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    c.resources ??= {}
    const req = (c.resources.requests ??= {})
    const lim = (c.resources.limits ??= {})
    const reqSet: string[] = []
    const limSet: string[] = []
    for (const item of items) {
      for (const [r, v] of Object.entries(item.default ?? {}))
        if (lim[r] === undefined) {
          lim[r] = v
          limSet.push(r)
        }
      for (const [r, v] of Object.entries(item.defaultRequest ?? {}))
        if (req[r] === undefined) {
          req[r] = lim[r] !== undefined && !limSet.includes(r) ? lim[r] : v
          reqSet.push(r)
        }
      for (const r of RESOURCES) {
        const min = item.min?.[r]
        const max = item.max?.[r]
        if (min !== undefined && parseQuantity(req[r] ?? lim[r]) < parseQuantity(min))
          problems.push(`minimum ${r} usage per Container is ${min}, but request is ${req[r] ?? 0}`)
        if (max !== undefined && (lim[r] === undefined || parseQuantity(lim[r]) > parseQuantity(max)))
          problems.push(
            lim[r] === undefined
              ? `maximum ${r} usage per Container is ${max}, but limit is unlimited`
              : `maximum ${r} usage per Container is ${max}, but limit is ${lim[r]}`,
          )
      }
    }
    if (Object.keys(req).length === 0) delete c.resources.requests
    if (Object.keys(lim).length === 0) delete c.resources.limits
    if (reqSet.length)
      setReq.push(`${reqSet.join(', ')} request for ${c.name === undefined ? '' : 'container '}${c.name}`)
    if (limSet.length) setLim.push(`${limSet.join(', ')} limit for container ${c.name}`)
  }
  if (problems.length)
    throw new ApiError(403, 'Forbidden', `pods "${pod.metadata?.name ?? ''}" is forbidden: [${problems.join(', ')}]`, {
      name: pod.metadata?.name,
      kind: 'pods',
    })
  if (setReq.length || setLim.length)
    pod.metadata = {
      ...pod.metadata,
      annotations: {
        ...pod.metadata?.annotations,
        'kubernetes.io/limit-ranger': `LimitRanger plugin set: ${[...setReq, ...setLim].join('; ')}`,
      },
    }
}

/** Throws upstream's "exceeded quota" 403 when creating `obj` (of `group/plural`) would pass a hard limit. */
export function checkQuotas(obj: KubeObject, group: string, plural: string, quotas: KubeObject[]): void {
  const isPod = group === '' && plural === 'pods'
  for (const q of quotas) {
    const hard: Record<string, string> = q.spec?.hard ?? {}
    const used: Record<string, string> = q.status?.used ?? {}
    const requested: string[] = []
    const usedText: string[] = []
    const limited: string[] = []
    for (const [name, limit] of Object.entries(hard)) {
      const one = (g: string, p: string) => (g === group && p === plural ? [obj] : [])
      if (isPod && /^(requests|limits)\./.test(name)) {
        const [kind, res] = name.split('.')
        const missing = (obj.spec?.containers ?? []).some((c: KubeObject) => c.resources?.[kind]?.[res] === undefined)
        if (missing)
          throw new ApiError(
            403,
            'Forbidden',
            `pods "${obj.metadata?.name ?? ''}" is forbidden: failed quota: ${q.metadata?.name}: must specify ${name}`,
          )
      }
      const delta = isPod ? usedFor(name, [obj], one) : usedFor(name, [], one)
      if (!delta) continue
      const now = parseQuantity(used[name] ?? '0') || 0
      if (now + delta > parseQuantity(limit)) {
        requested.push(`${name}=${formatQuantity(name, delta)}`)
        usedText.push(`${name}=${used[name] ?? '0'}`)
        limited.push(`${name}=${limit}`)
      }
    }
    if (limited.length)
      throw new ApiError(
        403,
        'Forbidden',
        `${plural} "${obj.metadata?.name ?? obj.metadata?.generateName ?? ''}" is forbidden: exceeded quota: ${q.metadata?.name}, requested: ${requested.join(',')}, used: ${usedText.join(',')}, limited: ${limited.join(',')}`,
        { name: obj.metadata?.name, kind: plural },
      )
  }
}

/** Wraps kind strategies with LimitRanger (pods) and ResourceQuota (every listed kind) admission.
 * `lookup` reads the namespace's LimitRanges/ResourceQuotas synchronously (the watch cache snapshot). */
export function withQuotaAdmission(
  base: Record<string, KindStrategy>,
  defaults: (key: string) => KindStrategy,
  lookup: Lookup,
  // not services: their storage strategy (ClusterIP/NodePort allocation) lives inside the API storage and
  // a strategy given here would replace it
  kinds = ['/pods', '/configmaps', '/secrets', '/persistentvolumeclaims', '/replicationcontrollers'],
): Record<string, KindStrategy> {
  const out = { ...base }
  for (const key of kinds) {
    const inner = base[key] ?? defaults(key)
    const [group, plural] = key.split('/')
    out[key] = {
      ...inner,
      prepareCreate(obj) {
        inner.prepareCreate?.(obj)
        const ns = obj.metadata?.namespace
        if (!ns) return
        if (key === '/pods') applyLimitRanges(obj, lookup(ns, 'limitranges'))
        checkQuotas(obj, group, plural, lookup(ns, 'resourcequotas'))
      },
    }
  }
  return out
}

/** The admission wrapper for the server's start-up: strategies to hand to the API step, and attach()
 * once its storage exists (until then no LimitRange or quota applies: only bootstrap objects are written). */
export function quotaAdmission(base: Record<string, KindStrategy>): {
  strategies: Record<string, KindStrategy>
  attach(api: {
    storage: { snapshot(def: ResourceDef, ns?: string): KubeObject[] }
    registry: { get(g: string, v: string, p: string): ResourceDef | undefined }
  }): void
} {
  let lookup: Lookup = () => []
  const registry = builtinRegistry()
  const defaults = (key: string) => {
    const [g, p] = key.split('/')
    const d = registry.get(g, 'v1', p)
    return d ? strategyFor(d) : {}
  }
  return {
    strategies: withQuotaAdmission(base, defaults, (ns, kind) => lookup(ns, kind)),
    attach(api) {
      lookup = (ns, kind) => {
        const def = api.registry.get('', 'v1', kind)
        return def ? api.storage.snapshot(def, ns) : []
      }
    },
  }
}
