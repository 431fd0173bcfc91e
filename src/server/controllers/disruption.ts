// The disruption controller (upstream pkg/controller/disruption): PodDisruptionBudget status.
// expectedPods comes from the pods' controllers (a Deployment's, StatefulSet's, ReplicaSet's or
// ReplicationController's replicas) when the budget is a percentage or maxUnavailable, else from the
// pod count; currentHealthy counts Ready pods not already being evicted (status.disruptedPods, kept
// for two minutes as upstream's DeletionTimeout); disruptionsAllowed = currentHealthy - desiredHealthy.
import type { KubeObject } from '../registry/types.ts'
import { type ControllerContext, newController } from './context.ts'
import { scaled, statusCovers } from './deployment-util.ts'
import type { Controller } from './lib/controller.ts'
import type { Informer } from './lib/informer.ts'
import { selectorMatches } from './lib/label-selector.ts'
import { controllerOf, keyOf, splitKey } from './lib/object-key.ts'
import { isPodReady, nowRfc3339, type Pod } from './lib/pods.ts'
import { inNs, R } from './lib/resources.ts'

const DELETION_TIMEOUT_MS = 2 * 60_000

export interface BudgetInput {
  pdb: KubeObject
  pods: Pod[]
  /** replicas of the pods' controllers, when known for every pod */
  expectedFromControllers?: number
  now: number
}

export function planBudget({ pdb, pods, expectedFromControllers, now }: BudgetInput): Record<string, any> {
  const disrupted: Record<string, string> = {}
  for (const [name, at] of Object.entries((pdb.status?.disruptedPods ?? {}) as Record<string, string>)) {
    const p = pods.find((x) => x.metadata?.name === name)
    if (!p || p.metadata?.deletionTimestamp) continue
    if (Date.parse(at) + DELETION_TIMEOUT_MS > now) disrupted[name] = at
  }
  const healthy = pods.filter(
    (p) => !p.metadata?.deletionTimestamp && isPodReady(p) && !disrupted[p.metadata!.name!],
  ).length
  const minAvailable = pdb.spec?.minAvailable
  const maxUnavailable = pdb.spec?.maxUnavailable
  let expected = pods.length
  let desired = 0
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    expected = expectedFromControllers ?? pods.length
    desired = Math.max(0, expected - scaled(maxUnavailable, expected, true, '0'))
  } else if (typeof minAvailable === 'string' && minAvailable.endsWith('%')) {
    expected = expectedFromControllers ?? pods.length
    desired = scaled(minAvailable, expected, true, '0')
  } else desired = Number(minAvailable ?? 0)
  const allowed = Math.max(0, healthy - desired)
  const old = (pdb.status?.conditions ?? []).find((c: { type: string }) => c.type === 'DisruptionAllowed')
  const status = allowed > 0 ? 'True' : 'False'
  const reason = allowed > 0 ? 'SufficientPods' : 'InsufficientPods'
  return {
    observedGeneration: pdb.metadata?.generation,
    disruptedPods: Object.keys(disrupted).length ? disrupted : null,
    disruptionsAllowed: allowed,
    currentHealthy: healthy,
    desiredHealthy: desired,
    expectedPods: expected,
    conditions: [
      {
        type: 'DisruptionAllowed',
        status,
        reason,
        message: '',
        observedGeneration: pdb.metadata?.generation,
        lastTransitionTime: old?.status === status ? old.lastTransitionTime : nowRfc3339(now),
      },
    ],
  }
}

export function disruptionController(ctx: ControllerContext): Controller {
  const pdbs = ctx.informers.informerFor(R.pdbs)
  const pods = ctx.informers.informerFor<Pod>(R.pods)
  const owners: Record<string, Informer> = {
    ReplicaSet: ctx.informers.informerFor(R.replicasets),
    Deployment: ctx.informers.informerFor(R.deployments),
    StatefulSet: ctx.informers.informerFor(R.statefulsets),
    ReplicationController: ctx.informers.informerFor(R.replicationcontrollers),
  }

  /** The top controller's replicas (Deployment over ReplicaSet), summed once per controller. */
  function expectedFrom(ps: Pod[]): number | undefined {
    const seen = new Map<string, number>()
    for (const p of ps) {
      let ref = controllerOf(p)
      if (!ref || !owners[ref.kind]) return undefined
      let obj = owners[ref.kind].getByName(p.metadata?.namespace, ref.name)
      if (ref.kind === 'ReplicaSet' && obj) {
        const up = controllerOf(obj)
        const d = up?.kind === 'Deployment' ? owners.Deployment.getByName(p.metadata?.namespace, up.name) : undefined
        if (d) {
          ref = up
          obj = d
        }
      }
      if (!obj) return undefined
      seen.set(obj.metadata!.uid!, obj.spec?.replicas ?? 1)
    }
    return [...seen.values()].reduce((a, b) => a + b, 0)
  }

  const c = newController(ctx, {
    name: 'disruption-controller',
    workers: 2,
    async reconcile(key) {
      const { namespace, name } = splitKey(key)
      const pdb = pdbs.get(key)
      if (!pdb) return
      const selected = pods.list(namespace).filter((p) => selectorMatches(pdb.spec?.selector, p.metadata?.labels))
      const status = planBudget({
        pdb,
        pods: selected,
        expectedFromControllers: expectedFrom(selected),
        now: ctx.now(),
      })
      const cmp = { ...status, conditions: status.conditions.map(({ lastTransitionTime: _, ...c }: any) => c) }
      const have = {
        ...pdb.status,
        conditions: (pdb.status?.conditions ?? []).map(({ lastTransitionTime: _, ...c }: any) => c),
      }
      if (!statusCovers(have, cmp))
        await ctx.client.patch(inNs(R.pdbs, namespace), name, 'merge', { status }, { subresource: 'status' })
      // disruptedPods entries expire: look again then
      return status.disruptedPods ? { requeueAfterMs: DELETION_TIMEOUT_MS } : undefined
    },
  })
  pdbs.addHandler({ add: (p) => c.enqueue(keyOf(p)), update: (_, p) => c.enqueue(keyOf(p)) })
  const wake = (p: Pod) => {
    for (const pdb of pdbs.list(p.metadata?.namespace))
      if (selectorMatches(pdb.spec?.selector, p.metadata?.labels)) c.enqueue(keyOf(pdb))
  }
  pods.addHandler({ add: wake, update: (_, p) => wake(p), delete: wake })
  return c
}
