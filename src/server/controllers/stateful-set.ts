// The StatefulSet controller: keeps ControllerRevisions for its templates, creates claims before pods,
// and applies planStatefulSet one step at a time (the next pod waits for this one's events).
import type { KubeObject } from '../registry/types.ts'
import { type ControllerContext, enqueueOwner, enqueueSelf, newController } from './context.ts'
import { statusCovers } from './deployment-util.ts'
import type { Controller } from './lib/controller.ts'
import { planRevisions, REVISION_HASH_LABEL, templateOf } from './lib/controller-revisions.ts'
import { splitKey } from './lib/object-key.ts'
import type { Pod } from './lib/pods.ts'
import { inNs, R } from './lib/resources.ts'
import { planStatefulSet, statefulPod } from './stateful-set-plan.ts'

export function statefulSetController(ctx: ControllerContext): Controller {
  const sets = ctx.informers.informerFor(R.statefulsets)
  const pods = ctx.informers.informerFor<Pod>(R.pods)
  const revisions = ctx.informers.informerFor(R.controllerrevisions)
  const claims = ctx.informers.informerFor(R.pvcs)
  const recorder = ctx.events('statefulset-controller')

  const c = newController(ctx, {
    name: 'statefulset-controller',
    workers: 4,
    async reconcile(key) {
      const { namespace, name } = splitKey(key)
      const cached = sets.get(key)
      if (!cached) return
      const set: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', ...cached }
      const uid = set.metadata!.uid!
      const owned = pods.byIndex('owner', uid).filter((p) => p.metadata?.namespace === namespace)
      const crs = revisions.byIndex('owner', uid)
      const inUse = new Set(owned.map((p) => p.metadata?.labels?.[REVISION_HASH_LABEL]).filter(Boolean) as string[])
      const rp = planRevisions(set, crs, inUse, set.status?.collisionCount ?? 0)
      const crRef = inNs(R.controllerrevisions, namespace)
      let lastCrRv: string | undefined
      if (rp.create) {
        try {
          lastCrRv = (await ctx.client.create<KubeObject>(crRef, rp.create)).metadata?.resourceVersion
        } catch (err) {
          if ((err as { code?: number }).code !== 409) throw err
        }
      }
      if (rp.bump) lastCrRv = (await ctx.client.update<KubeObject>(crRef, rp.bump)).metadata?.resourceVersion
      for (const cr of rp.prune) await ctx.client.delete(crRef, cr.metadata!.name!).catch(() => {})
      await revisions.waitForResourceVersion(lastCrRv)
      const updateName = rp.update.metadata!.name!
      const currentName: string = set.status?.currentRevision ?? updateName
      const current = crs.find((r) => r.metadata?.name === currentName) ?? rp.update
      const present = new Set(claims.list(namespace).map((p) => p.metadata!.name!))
      const plan = planStatefulSet(set, owned, present, { current: currentName, update: updateName }, ctx.now())
      const podsRef = inNs(R.pods, namespace)
      for (const claim of plan.claims) {
        try {
          await ctx.client.create(inNs(R.pvcs, namespace), claim)
          recorder.event(
            set,
            'Normal',
            'SuccessfulCreate',
            `create Claim ${claim.metadata?.name} Pod ${claim.metadata?.name?.split('-').slice(1).join('-')} in StatefulSet ${name} success`,
          )
        } catch (err) {
          if ((err as { code?: number }).code !== 409) throw err
        }
      }
      let lastRv: string | undefined
      const track = (o: KubeObject) => {
        const rv = o.metadata?.resourceVersion
        if (rv && (!lastRv || Number(rv) > Number(lastRv))) lastRv = rv
      }
      await Promise.all([
        ...plan.create.map(async ({ ordinal, revision }) => {
          const cr = revision === 'current' ? current : rp.update
          const pod = statefulPod(set, templateOf(cr) ?? set.spec?.template, ordinal, cr.metadata!.name!)
          try {
            track(await ctx.client.create(podsRef, pod))
            recorder.event(
              set,
              'Normal',
              'SuccessfulCreate',
              `create Pod ${pod.metadata?.name} in StatefulSet ${name} successful`,
            )
          } catch (err) {
            if ((err as { code?: number }).code === 409) return
            recorder.event(
              set,
              'Warning',
              'FailedCreate',
              `create Pod ${pod.metadata?.name} in StatefulSet ${name} failed error: ${(err as Error).message}`,
            )
            throw err
          }
        }),
        ...plan.delete.map(async (p) => {
          try {
            track(await ctx.client.delete(podsRef, p.metadata!.name!, { preconditions: { uid: p.metadata?.uid } }))
            recorder.event(
              set,
              'Normal',
              'SuccessfulDelete',
              `delete Pod ${p.metadata?.name} in StatefulSet ${name} successful`,
            )
          } catch (err) {
            if ((err as { code?: number }).code !== 404) throw err
          }
        }),
      ])
      await pods.waitForResourceVersion(lastRv)
      if (!statusCovers(set.status, plan.status))
        await ctx.client.patch(
          inNs(R.statefulsets, namespace),
          name,
          'merge',
          { status: plan.status },
          { subresource: 'status' },
        )
    },
  })
  sets.addHandler(enqueueSelf(c))
  pods.addHandler(enqueueOwner(c, 'StatefulSet'))
  revisions.addHandler(enqueueOwner(c, 'StatefulSet'))
  return c
}
