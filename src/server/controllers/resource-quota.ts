// ResourceQuota status (upstream pkg/controller/resourcequota): status.hard mirrors spec.hard and
// status.used counts what the namespace holds for each tracked name — object counts (`pods`,
// `services`, `count/deployments.apps`, ...), `services.nodeports`/`loadbalancers`, and the
// requests/limits of non-terminal pods. Enforcement at admission is not done here (see the report).
import type { KubeObject } from '../registry/types.ts'
import { parseQuantity } from '../scheduler/quantity.ts'
import { type ControllerContext, newController } from './context.ts'
import { deepEqual } from './deployment-util.ts'
import type { Controller } from './lib/controller.ts'
import { keyOf, splitKey } from './lib/object-key.ts'
import { isTerminal, type Pod } from './lib/pods.ts'
import { inNs, R } from './lib/resources.ts'

const SHORT_COUNTS: Record<string, [string, string]> = {
  pods: ['', 'pods'],
  services: ['', 'services'],
  configmaps: ['', 'configmaps'],
  secrets: ['', 'secrets'],
  persistentvolumeclaims: ['', 'persistentvolumeclaims'],
  replicationcontrollers: ['', 'replicationcontrollers'],
  resourcequotas: ['', 'resourcequotas'],
}

/** Canonical quantity text: cpu in cores or millicores, bytes in the largest binary unit that divides. */
export function formatQuantity(name: string, v: number): string {
  if (/cpu$/.test(name)) {
    const m = Math.round(v * 1000)
    return m % 1000 === 0 ? String(m / 1000) : `${m}m`
  }
  if (!/memory|storage/.test(name)) return String(Math.round(v))
  for (const [u, f] of [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const)
    if (v >= f && v % f === 0) return `${v / f}${u}`
  return String(Math.round(v))
}

/** Sum of a pod's container requests or limits for one resource (init containers: the max, as upstream). */
function podAmount(p: Pod, kind: 'requests' | 'limits', res: string): number {
  const sum = (p.spec?.containers ?? []).reduce(
    (a: number, c: KubeObject) => a + (parseQuantity(c.resources?.[kind]?.[res]) || 0),
    0,
  )
  const init = Math.max(
    0,
    ...(p.spec?.initContainers ?? []).map((c: KubeObject) => parseQuantity(c.resources?.[kind]?.[res]) || 0),
  )
  return Math.max(sum, init)
}

export function usedFor(
  name: string,
  pods: Pod[],
  counts: (group: string, plural: string) => KubeObject[] | undefined,
): number | undefined {
  const live = pods.filter((p) => !isTerminal(p))
  const m = /^(requests|limits)\.(.+)$/.exec(name)
  if (m) return live.reduce((a, p) => a + podAmount(p, m[1] as 'requests' | 'limits', m[2]), 0)
  if (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage')
    return live.reduce((a, p) => a + podAmount(p, 'requests', name), 0)
  if (name === 'pods') return live.length
  if (name === 'services.nodeports')
    return (counts('', 'services') ?? []).reduce(
      (a, s) =>
        a +
        (s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer'
          ? (s.spec?.ports ?? []).filter((p: KubeObject) => p.nodePort).length
          : 0),
      0,
    )
  if (name === 'services.loadbalancers')
    return (counts('', 'services') ?? []).filter((s) => s.spec?.type === 'LoadBalancer').length
  if (SHORT_COUNTS[name]) return counts(...SHORT_COUNTS[name])?.length
  const c = /^count\/([^.]+)(?:\.(.+))?$/.exec(name)
  if (c) return counts(c[2] ?? '', c[1])?.length
  return undefined
}

export function resourceQuotaController(ctx: ControllerContext): Controller {
  const quotas = ctx.informers.informerFor(R.resourcequotas)
  const pods = ctx.informers.informerFor<Pod>(R.pods)

  const c = newController(ctx, {
    name: 'resourcequota-controller',
    workers: 2,
    async reconcile(key) {
      const { namespace } = splitKey(key)
      const q = quotas.get(key)
      if (!q) return
      const hard: Record<string, string> = q.spec?.hard ?? {}
      const lists = new Map<string, KubeObject[] | undefined>()
      for (const n of Object.keys(hard)) {
        const pair =
          SHORT_COUNTS[n] ??
          (n.startsWith('services.') ? ['', 'services'] : undefined) ??
          (/^count\/([^.]+)(?:\.(.+))?$/.exec(n)?.slice(1, 3).reverse() as [string, string] | undefined)
        if (!pair || pair[1] === 'pods') continue
        const [g, p] = [pair[0] ?? '', pair[1]]
        if (lists.has(`${g}/${p}`)) continue
        const def = ctx.resources().find((d) => d.group === g && d.plural === p)
        lists.set(
          `${g}/${p}`,
          def
            ? (await ctx.client.list({ group: def.group, version: def.version, resource: def.plural, namespace })).items
            : undefined,
        )
      }
      const nsPods = pods.list(namespace)
      const counts = (g: string, p: string) =>
        g === '' && p === 'pods' ? nsPods.filter((x) => !isTerminal(x)) : lists.get(`${g}/${p}`)
      const used: Record<string, string> = {}
      for (const n of Object.keys(hard)) {
        const v = usedFor(n, nsPods, counts)
        if (v !== undefined) used[n] = formatQuantity(n, v)
      }
      const status = { hard, used }
      if (!deepEqual(q.status ?? {}, status))
        await ctx.client.update(inNs(R.resourcequotas, namespace), { ...q, status }, { subresource: 'status' })
      return { requeueAfterMs: ctx.options.sweepMs ?? 20_000 }
    },
  })
  quotas.addHandler({
    add: (q) => c.enqueue(keyOf(q)),
    update: (o, q) => o.metadata?.generation !== q.metadata?.generation && c.enqueue(keyOf(q)),
  })
  const wake = (p: Pod) => {
    for (const q of quotas.list(p.metadata?.namespace)) c.enqueue(keyOf(q))
  }
  pods.addHandler({ add: wake, delete: wake, update: (o, p) => o.status?.phase !== p.status?.phase && wake(p) })
  return c
}
