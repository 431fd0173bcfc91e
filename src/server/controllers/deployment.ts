// The Deployment controller: reads the Deployment, its ReplicaSets and their pods from the informers,
// applies planDeployment through the client and records ScalingReplicaSet events.
import type { KubeObject } from '../registry/types.ts'
import { type ControllerContext, enqueueOwner, enqueueSelf, newController } from './context.ts'
import { planDeployment } from './deployment-plan.ts'
import { REVISION, type RS, statusCovers } from './deployment-util.ts'
import { claim } from './lib/claim.ts'
import type { Controller } from './lib/controller.ts'
import { selectorMatches } from './lib/label-selector.ts'
import { splitKey } from './lib/object-key.ts'
import type { Pod } from './lib/pods.ts'
import { inNs, R } from './lib/resources.ts'

export function deploymentController(ctx: ControllerContext): Controller {
  const deployments = ctx.informers.informerFor(R.deployments)
  const replicaSets = ctx.informers.informerFor<RS>(R.replicasets)
  const pods = ctx.informers.informerFor<Pod>(R.pods)
  const recorder = ctx.events('deployment-controller')

  const c = newController(ctx, {
    name: 'deployment-controller',
    workers: 4,
    async reconcile(key) {
      const { namespace, name } = splitKey(key)
      const cached = deployments.get(key)
      if (!cached) return
      const d: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', ...cached }
      const rsRef = inNs(R.replicasets, namespace)
      const candidates = [
        ...replicaSets.byIndex('owner', d.metadata!.uid!),
        ...replicaSets.byIndex('orphans', namespace!),
      ]
      const owned = await claim(ctx.client, rsRef, d, candidates, (rs) =>
        selectorMatches(d.spec?.selector, rs.metadata?.labels),
      )
      const ownedPods = owned.flatMap((rs) => pods.byIndex('owner', rs.metadata!.uid!))
      const plan = planDeployment(d, owned, ownedPods, ctx.now())
      let lastRv: string | undefined
      const track = (o: KubeObject) => {
        const rv = o.metadata?.resourceVersion
        if (rv && (!lastRv || Number(rv) > Number(lastRv))) lastRv = rv
      }
      if (plan.create) {
        try {
          track(await ctx.client.create(rsRef, plan.create))
        } catch (err) {
          if ((err as { code?: number }).code !== 409) throw err
          // a ReplicaSet of that name with another template: bump collisionCount for a new hash
          const existing = await ctx.client.get<RS>(rsRef, plan.create.metadata!.name!)
          if (existing.metadata?.ownerReferences?.some((o: { uid: string }) => o.uid === d.metadata?.uid)) throw err
          await ctx.client.patch(
            inNs(R.deployments, namespace),
            name,
            'merge',
            { status: { collisionCount: (d.status?.collisionCount ?? 0) + 1 } },
            { subresource: 'status' },
          )
          return
        }
      }
      for (const rs of plan.update) track(await ctx.client.update(rsRef, rs))
      for (const rs of plan.delete) {
        try {
          await ctx.client.delete(rsRef, rs.metadata!.name!, { preconditions: { uid: rs.metadata?.uid } })
        } catch (err) {
          if ((err as { code?: number }).code !== 404) throw err
        }
      }
      for (const e of plan.events) recorder.event(d, e.type, e.reason, e.message)
      await replicaSets.waitForResourceVersion(lastRv)
      if (plan.revision)
        await ctx.client.patch(inNs(R.deployments, namespace), name, 'merge', {
          metadata: { annotations: { [REVISION]: plan.revision } },
        })
      if (!statusCovers(d.status, plan.status))
        await ctx.client.patch(
          inNs(R.deployments, namespace),
          name,
          'merge',
          { status: plan.status },
          { subresource: 'status' },
        )
      return plan.requeueAfterMs !== undefined ? { requeueAfterMs: plan.requeueAfterMs } : undefined
    },
  })
  deployments.addHandler(enqueueSelf(c))
  replicaSets.addHandler(enqueueOwner(c, 'Deployment'))
  // Recreate waits for old pods to go: a pod deletion wakes its ReplicaSet's Deployment
  pods.addHandler({
    delete: (p) => {
      const rsRef = p.metadata?.ownerReferences?.find((o: { controller?: boolean }) => o.controller)
      if (rsRef?.kind !== 'ReplicaSet') return
      const rs = replicaSets.getByName(p.metadata?.namespace, rsRef.name)
      const dRef = rs?.metadata?.ownerReferences?.find((o: { controller?: boolean }) => o.controller)
      if (dRef?.kind === 'Deployment') c.enqueue(`${p.metadata?.namespace}/${dRef.name}`)
    },
  })
  return c
}
