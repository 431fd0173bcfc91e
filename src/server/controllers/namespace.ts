// Namespace deletion (upstream pkg/controller/namespace/deletion): a Terminating namespace has every
// namespaced object of every served resource deleted; its status conditions say what is left; once
// nothing is left the `kubernetes` finalizer is removed through /finalize and the namespace goes.
import type { KubeObject, ResourceDef } from '../registry/types.ts'
import { type ControllerContext, enqueueSelf, newController } from './context.ts'
import type { Controller } from './lib/controller.ts'
import { nowRfc3339 } from './lib/pods.ts'
import { R } from './lib/resources.ts'

const CHECK_MS = 1000

export function namespaceController(ctx: ControllerContext): Controller {
  const namespaces = ctx.informers.informerFor(R.namespaces)

  const c = newController(ctx, {
    name: 'namespace-controller',
    workers: 2,
    async reconcile(name) {
      const ns = namespaces.get(name)
      if (!ns?.metadata?.deletionTimestamp) return
      if (!(ns.spec?.finalizers ?? []).includes('kubernetes')) return
      const remaining = new Map<string, number>()
      const finalizersLeft = new Map<string, number>()
      const failures: string[] = []
      for (const def of deletable(ctx.resources())) {
        const ref = { group: def.group, version: def.version, resource: def.plural, namespace: name }
        let items: KubeObject[]
        try {
          items = (await ctx.client.list(ref)).items
        } catch (err) {
          failures.push(`${def.plural}: ${(err as Error).message}`)
          continue
        }
        let left = 0
        const outcomes = await Promise.all(
          items.map(async (o) => {
            let stays = !!o.metadata?.deletionTimestamp
            if (!stays) {
              try {
                const r = await ctx.client.delete(ref, o.metadata!.name!, { propagationPolicy: 'Background' })
                // finalizers or a grace period keep it for now
                stays = !!r.metadata?.deletionTimestamp
              } catch (err) {
                const code = (err as { code?: number }).code
                if (code !== 404 && code !== 409)
                  failures.push(`${def.plural} "${o.metadata?.name}": ${(err as Error).message}`)
                stays = code !== 404
              }
            }
            return { o, stays }
          }),
        )
        for (const { o, stays } of outcomes) {
          if (!stays) continue
          left++
          for (const f of o.metadata?.finalizers ?? []) finalizersLeft.set(f, (finalizersLeft.get(f) ?? 0) + 1)
        }
        if (left > 0) remaining.set(qualified(def), left)
      }
      const conditions = namespaceConditions(remaining, finalizersLeft, failures, ns.status?.conditions ?? [])
      if (JSON.stringify(conditions) !== JSON.stringify(ns.status?.conditions ?? [])) {
        await ctx.client
          .patch(R.namespaces, name, 'merge', { status: { conditions } }, { subresource: 'status' })
          .catch(() => {})
      }
      if (remaining.size > 0 || failures.length > 0) return { requeueAfterMs: CHECK_MS }
      const fresh = await ctx.client.get<KubeObject>(R.namespaces, name)
      fresh.spec = {
        ...fresh.spec,
        finalizers: (fresh.spec?.finalizers ?? []).filter((f: string) => f !== 'kubernetes'),
      }
      await ctx.client.update(R.namespaces, fresh, { subresource: 'finalize' })
    },
  })
  namespaces.addHandler(enqueueSelf(c))
  return c
}

const qualified = (d: ResourceDef) => (d.group ? `${d.plural}.${d.group}` : d.plural)

/** Namespaced resources that can be listed and deleted, one version each. */
function deletable(defs: ResourceDef[]): ResourceDef[] {
  const seen = new Set<string>()
  const out: ResourceDef[] = []
  for (const d of defs) {
    const verbs = d.verbs ?? ['list', 'delete']
    if (!d.namespaced || !verbs.includes('list') || !verbs.includes('delete')) continue
    const k = `${d.group}/${d.plural}`
    if (seen.has(k)) continue
    seen.add(k)
    out.push(d)
  }
  return out
}

/** The five conditions upstream's namespace controller reports while deleting. */
export function namespaceConditions(
  remaining: Map<string, number>,
  finalizers: Map<string, number>,
  failures: string[],
  previous: { type: string; lastTransitionTime?: string }[],
): Record<string, string>[] {
  const at = (type: string) => previous.find((c) => c.type === type)?.lastTransitionTime ?? nowRfc3339()
  const cond = (type: string, bad: boolean, reason: string, message: string) => ({
    type,
    status: bad ? 'True' : 'False',
    lastTransitionTime: at(type),
    reason,
    message,
  })
  const list = (m: Map<string, number>) =>
    [...m]
      .sort()
      .map(([k, n]) => `${k} has ${n} resource instances`)
      .join(', ')
  const fins = (m: Map<string, number>) =>
    [...m]
      .sort()
      .map(([k, n]) => `${k} in ${n} resource instances`)
      .join(', ')
  return [
    cond('NamespaceDeletionDiscoveryFailure', false, 'ResourcesDiscovered', 'All resources successfully discovered'),
    cond(
      'NamespaceDeletionGroupVersionParsingFailure',
      false,
      'ParsedGroupVersions',
      'All legacy kube types successfully parsed',
    ),
    failures.length
      ? cond(
          'NamespaceDeletionContentFailure',
          true,
          'ContentDeletionFailed',
          `Failed to delete all resource types, ${failures.length} remaining: ${failures.join(', ')}`,
        )
      : cond(
          'NamespaceDeletionContentFailure',
          false,
          'ContentDeleted',
          'All content successfully deleted, may be waiting on finalization',
        ),
    remaining.size
      ? cond(
          'NamespaceContentRemaining',
          true,
          'SomeResourcesRemain',
          `Some resources are remaining: ${list(remaining)}`,
        )
      : cond('NamespaceContentRemaining', false, 'ContentRemoved', 'All content successfully removed'),
    finalizers.size
      ? cond(
          'NamespaceFinalizersRemaining',
          true,
          'SomeFinalizersRemain',
          `Some content in the namespace has finalizers remaining: ${fins(finalizers)}`,
        )
      : cond(
          'NamespaceFinalizersRemaining',
          false,
          'ContentHasNoFinalizers',
          'All content-preserving finalizers finished',
        ),
  ]
}
