// The Endpoints controller (upstream pkg/controller/endpoint): one core/v1 Endpoints per Service with a
// selector, named after it, with ready addresses and notReadyAddresses. The `kubernetes` Service's
// Endpoints are written by the API server, not here (that Service has no selector).
import type { KubeObject } from '../registry/types.ts'
import { type ControllerContext, newController } from './context.ts'
import { deepEqual } from './deployment-util.ts'
import { wireServiceHandlers } from './endpoint-slices.ts'
import { endpointsSubsets, managesEndpoints } from './endpoints-plan.ts'
import type { Controller } from './lib/controller.ts'
import { splitKey } from './lib/object-key.ts'
import type { Pod } from './lib/pods.ts'
import { inNs, R } from './lib/resources.ts'

export function endpointsController(ctx: ControllerContext): Controller {
  const services = ctx.informers.informerFor(R.services)
  const pods = ctx.informers.informerFor<Pod>(R.pods)
  const endpoints = ctx.informers.informerFor(R.endpoints)

  const c = newController(ctx, {
    name: 'endpoints-controller',
    workers: 4,
    async reconcile(key) {
      const { namespace, name } = splitKey(key)
      const svc = services.get(key)
      const ref = inNs(R.endpoints, namespace)
      const current = endpoints.get(key)
      if (!svc || !managesEndpoints(svc)) {
        if (!svc && current) {
          try {
            await ctx.client.delete(ref, name)
          } catch (err) {
            if ((err as { code?: number }).code !== 404) throw err
          }
        }
        return
      }
      const subsets = endpointsSubsets(svc, pods.list(namespace))
      const labels: Record<string, string> = { ...svc.metadata?.labels }
      if (svc.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = ''
      if (current) {
        if (deepEqual(current.subsets ?? [], subsets) && deepEqual(current.metadata?.labels ?? {}, labels)) return
        const next: KubeObject = { ...current, metadata: { ...current.metadata, labels }, subsets }
        const r = await ctx.client.update<KubeObject>(ref, next)
        await endpoints.waitForResourceVersion(r.metadata?.resourceVersion)
        return
      }
      const r = await ctx.client.create<KubeObject>(ref, {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name, namespace, labels },
        subsets,
      })
      await endpoints.waitForResourceVersion(r.metadata?.resourceVersion)
    },
  })
  wireServiceHandlers(c, services, pods)
  endpoints.addHandler({ delete: (e) => c.enqueue(`${e.metadata?.namespace}/${e.metadata?.name}`) })
  return c
}
