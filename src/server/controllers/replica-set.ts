// ReplicaSet and ReplicationController: keep `replicas` pods from the template (upstream
// pkg/controller/replicaset; the RC manager is the same code with a map selector).

import type { KubeObject } from '../registry/types.ts'
import { type ControllerContext, enqueueOwner, enqueueSelf, newController } from './context.ts'
import { claim } from './lib/claim.ts'
import type { Controller } from './lib/controller.ts'
import type { GroupResource } from './lib/informer-factory.ts'
import { mapSelectorMatches, selectorMatches } from './lib/label-selector.ts'
import { splitKey } from './lib/object-key.ts'
import { type Pod, podFromTemplate } from './lib/pods.ts'
import { inNs, R } from './lib/resources.ts'
import { planReplicaSet } from './replica-set-plan.ts'

interface Flavour {
  name: string
  resource: GroupResource
  kind: string
  apiVersion: string
  matches(owner: KubeObject, labels: Record<string, string> | undefined): boolean
}

const replicaSets: Flavour = {
  name: 'replicaset-controller',
  resource: R.replicasets,
  kind: 'ReplicaSet',
  apiVersion: 'apps/v1',
  matches: (rs, labels) => selectorMatches(rs.spec?.selector, labels),
}

const replicationControllers: Flavour = {
  name: 'replicationcontroller-controller',
  resource: R.replicationcontrollers,
  kind: 'ReplicationController',
  apiVersion: 'v1',
  matches: (rc, labels) => mapSelectorMatches(rc.spec?.selector ?? rc.spec?.template?.metadata?.labels, labels),
}

export const replicaSetController = (ctx: ControllerContext) => replicaController(ctx, replicaSets)
export const replicationControllerController = (ctx: ControllerContext) =>
  replicaController(ctx, replicationControllers)

function replicaController(ctx: ControllerContext, f: Flavour): Controller {
  const owners = ctx.informers.informerFor(f.resource)
  const pods = ctx.informers.informerFor<Pod>(R.pods)
  const recorder = ctx.events(f.name)

  const c = newController(ctx, {
    name: f.name,
    workers: 4,
    async reconcile(key) {
      const { namespace, name } = splitKey(key)
      const cached = owners.get(key)
      if (!cached) return
      const owner: KubeObject = { apiVersion: f.apiVersion, kind: f.kind, ...cached }
      // our own pods and the namespace's orphans (adoptable), through the indexes: never a scan of every pod
      const candidates = [...pods.byIndex('owner', owner.metadata!.uid!), ...pods.byIndex('orphans', namespace!)]
      const owned = await claim(ctx.client, inNs(R.pods, namespace), owner, candidates, (p) =>
        f.matches(owner, p.metadata?.labels),
      )
      const plan = planReplicaSet(owner, owned, ctx.now())
      const podsRef = inNs(R.pods, namespace)
      let lastRv: string | undefined
      const track = (o: { metadata?: { resourceVersion?: string } }) => {
        const rv = o.metadata?.resourceVersion
        if (rv && (!lastRv || Number(rv) > Number(lastRv))) lastRv = rv
      }
      const creates = Array.from({ length: plan.create }, async () => {
        try {
          const pod = await ctx.client.create(podsRef, podFromTemplate(owner.spec?.template, owner))
          track(pod)
          recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name}`)
        } catch (err) {
          recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`)
          throw err
        }
      })
      const deletes = plan.delete.map(async (p) => {
        try {
          track(await ctx.client.delete(podsRef, p.metadata!.name!, { preconditions: { uid: p.metadata?.uid } }))
          recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata?.name}`)
        } catch (err) {
          if ((err as { code?: number }).code === 404) return
          recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`)
          throw err
        }
      })
      const results = await Promise.allSettled([...creates, ...deletes])
      // the next reconcile must see our own writes in the cache, or it would create the pods again
      await pods.waitForResourceVersion(lastRv)
      const failed = results.find((r) => r.status === 'rejected')
      if (failed) throw (failed as PromiseRejectedResult).reason
      if (JSON.stringify(statusSubset(owner.status)) !== JSON.stringify(statusSubset(plan.status))) {
        await ctx.client.patch(
          inNs(f.resource, namespace),
          name,
          'merge',
          { status: plan.status },
          { subresource: 'status' },
        )
      }
      return plan.requeueAfterMs !== undefined ? { requeueAfterMs: plan.requeueAfterMs } : undefined
    },
  })
  owners.addHandler(enqueueSelf(c))
  pods.addHandler(enqueueOwner(c, f.kind))
  // an orphan matching a selector gets adopted: wake the owners of its namespace
  pods.addHandler({
    add: (p) => {
      if (p.metadata?.ownerReferences?.length) return
      for (const o of owners.list(p.metadata?.namespace))
        if (f.matches(o, p.metadata?.labels)) c.enqueue(`${o.metadata?.namespace}/${o.metadata?.name}`)
    },
  })
  return c
}

const statusSubset = (s: Record<string, unknown> | undefined) => {
  const { replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration } = s ?? {}
  return [replicas ?? 0, fullyLabeledReplicas ?? 0, readyReplicas ?? 0, availableReplicas ?? 0, observedGeneration]
}
