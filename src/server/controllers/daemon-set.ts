// The DaemonSet controller: ControllerRevisions for its templates, then planDaemonSet over every Node;
// a Node added, relabelled or tainted later wakes every DaemonSet.
import type { KubeObject } from '../registry/types.ts'
import { type ControllerContext, enqueueOwner, enqueueSelf, newController } from './context.ts'
import { daemonTolerations, pinToNode, planDaemonSet } from './daemon-set-plan.ts'
import { statusCovers } from './deployment-util.ts'
import type { Controller } from './lib/controller.ts'
import { planRevisions, REVISION_HASH_LABEL, templateOf } from './lib/controller-revisions.ts'
import { keyOf, splitKey } from './lib/object-key.ts'
import { type Pod, podFromTemplate } from './lib/pods.ts'
import { inNs, R } from './lib/resources.ts'

export function daemonSetController(ctx: ControllerContext): Controller {
  const sets = ctx.informers.informerFor(R.daemonsets)
  const pods = ctx.informers.informerFor<Pod>(R.pods)
  const nodes = ctx.informers.informerFor(R.nodes)
  const revisions = ctx.informers.informerFor(R.controllerrevisions)
  const recorder = ctx.events('daemonset-controller')

  const c = newController(ctx, {
    name: 'daemonset-controller',
    workers: 2,
    async reconcile(key) {
      const { namespace, name } = splitKey(key)
      const cached = sets.get(key)
      if (!cached) return
      const ds: KubeObject = { apiVersion: 'apps/v1', kind: 'DaemonSet', ...cached }
      const uid = ds.metadata!.uid!
      const owned = pods.byIndex('owner', uid)
      const inUse = new Set(
        owned
          .map((p) => `${name}-${p.metadata?.labels?.[REVISION_HASH_LABEL]}`)
          .filter((x) => !x.endsWith('-undefined')),
      )
      const rp = planRevisions(ds, revisions.byIndex('owner', uid), inUse, ds.status?.collisionCount ?? 0)
      const crRef = inNs(R.controllerrevisions, namespace)
      let crRv: string | undefined
      if (rp.create)
        crRv = await ctx.client
          .create<KubeObject>(crRef, rp.create)
          .then((r) => r.metadata?.resourceVersion)
          .catch((err) => {
            if (err?.code !== 409) throw err
            return undefined
          })
      if (rp.bump) crRv = (await ctx.client.update<KubeObject>(crRef, rp.bump)).metadata?.resourceVersion
      for (const cr of rp.prune) await ctx.client.delete(crRef, cr.metadata!.name!).catch(() => {})
      await revisions.waitForResourceVersion(crRv)
      const hash = rp.update.metadata!.name!.slice(name.length + 1)
      const plan = planDaemonSet(ds, nodes.list(), owned, hash, ctx.now())
      const podsRef = inNs(R.pods, namespace)
      const template = templateOf(rp.update) ?? ds.spec?.template
      let lastRv: string | undefined
      const track = (o: KubeObject) => {
        const rv = o.metadata?.resourceVersion
        if (rv && (!lastRv || Number(rv) > Number(lastRv))) lastRv = rv
      }
      const results = await Promise.allSettled([
        ...plan.createOn.map(async (node) => {
          const pod = podFromTemplate(template, ds, {
            labels: { [REVISION_HASH_LABEL]: hash, 'pod-template-generation': String(ds.metadata?.generation ?? 1) },
          })
          pod.spec = pinToNode({ ...pod.spec, tolerations: daemonTolerations(pod.spec) }, node)
          try {
            const created = await ctx.client.create(podsRef, pod)
            track(created)
            recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`)
          } catch (err) {
            recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`)
            throw err
          }
        }),
        ...plan.delete.map(async (p) => {
          try {
            track(await ctx.client.delete(podsRef, p.metadata!.name!, { preconditions: { uid: p.metadata?.uid } }))
            recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata?.name}`)
          } catch (err) {
            if ((err as { code?: number }).code !== 404) throw err
          }
        }),
      ])
      await pods.waitForResourceVersion(lastRv)
      const failed = results.find((r) => r.status === 'rejected')
      if (failed) throw (failed as PromiseRejectedResult).reason
      if (!statusCovers(ds.status, plan.status))
        await ctx.client.patch(
          inNs(R.daemonsets, namespace),
          name,
          'merge',
          { status: plan.status },
          { subresource: 'status' },
        )
    },
  })
  sets.addHandler(enqueueSelf(c))
  pods.addHandler(enqueueOwner(c, 'DaemonSet'))
  const all = () => {
    for (const ds of sets.list()) c.enqueue(keyOf(ds))
  }
  nodes.addHandler({
    add: all,
    update: (old, n) => {
      if (
        JSON.stringify([old.metadata?.labels, old.spec?.taints, old.spec?.unschedulable]) !==
        JSON.stringify([n.metadata?.labels, n.spec?.taints, n.spec?.unschedulable])
      )
        all()
    },
    delete: all,
  })
  return c
}
