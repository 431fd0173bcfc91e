// The pod garbage collector (upstream pkg/controller/podgc), run as a periodic sweep: terminated pods
// beyond --terminated-pod-gc-threshold (oldest first), pods bound to nodes missing for longer than the
// 40 s quarantine (a node may register after its pods were bound), and unscheduled pods already being
// deleted are deleted with no grace period.
import { type ControllerContext, newController } from './context.ts'
import type { Controller } from './lib/controller.ts'
import { isTerminal, type Pod } from './lib/pods.ts'
import { inNs, R } from './lib/resources.ts'

export function planPodGc(pods: Pod[], goneNodes: Set<string>, threshold: number): Pod[] {
  const out = new Set<Pod>()
  const terminated = pods
    .filter(isTerminal)
    .sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''))
  if (threshold > 0 && terminated.length > threshold)
    for (const p of terminated.slice(0, terminated.length - threshold)) out.add(p)
  for (const p of pods) {
    if (p.spec?.nodeName && goneNodes.has(p.spec.nodeName)) out.add(p)
    if (!p.spec?.nodeName && p.metadata?.deletionTimestamp) out.add(p)
  }
  return [...out]
}

export function podGcController(ctx: ControllerContext): Controller {
  const pods = ctx.informers.informerFor<Pod>(R.pods)
  const nodes = ctx.informers.informerFor(R.nodes)
  const log = () => c.log
  const QUARANTINE_MS = 40_000
  const missingSince = new Map<string, number>()
  const c = newController(ctx, {
    name: 'pod-garbage-collector',
    workers: 1,
    async reconcile() {
      const names = new Set(nodes.list().map((n) => n.metadata!.name!))
      const now = ctx.now()
      const gone = new Set<string>()
      const bound = new Set(
        pods
          .list()
          .map((p) => p.spec?.nodeName)
          .filter(Boolean) as string[],
      )
      for (const n of [...missingSince.keys()]) if (names.has(n) || !bound.has(n)) missingSince.delete(n)
      if (nodes.isSynced)
        for (const n of bound) {
          if (names.has(n)) continue
          const since = missingSince.get(n) ?? now
          missingSince.set(n, since)
          if (now - since >= QUARANTINE_MS) gone.add(n)
        }
      const doomed = planPodGc(pods.list(), gone, ctx.options.terminatedPodGcThreshold ?? 12500)
      for (const p of doomed) {
        try {
          await ctx.client.delete(inNs(R.pods, p.metadata?.namespace), p.metadata!.name!, {
            gracePeriodSeconds: 0,
            preconditions: { uid: p.metadata?.uid },
          })
          log().info('deleted pod', { pod: `${p.metadata?.namespace}/${p.metadata?.name}`, node: p.spec?.nodeName })
        } catch (err) {
          const code = (err as { code?: number }).code
          if (code !== 404 && code !== 409) throw err
        }
      }
      return { requeueAfterMs: ctx.options.sweepMs ?? 20_000 }
    },
  })
  c.enqueue('sweep')
  nodes.addHandler({ delete: () => c.enqueue('sweep') })
  return c
}
