// The `kubernetes` Service's Endpoints and EndpointSlice in default point at this API server (upstream's
// apiserver endpoint reconciler, which also writes the slice): its advertise address and secure port.
// The selector-based controllers leave that Service alone (it has no selector).
import type { KubeObject } from '../registry/types.ts'
import { type ControllerContext, newController } from './context.ts'
import { deepEqual } from './deployment-util.ts'
import type { Controller } from './lib/controller.ts'
import { inNs, R } from './lib/resources.ts'

const KEY = 'default/kubernetes'

export function kubernetesEndpointsController(ctx: ControllerContext): Controller {
  const endpoints = ctx.informers.informerFor(R.endpoints)
  const slices = ctx.informers.informerFor(R.endpointslices)
  const api = ctx.options.apiEndpoint

  const c = newController(ctx, {
    name: 'kubernetes-service-endpoints',
    workers: 1,
    async reconcile() {
      if (!api) return
      const subsets = [
        { addresses: [{ ip: api.address }], ports: [{ name: 'https', port: api.port, protocol: 'TCP' }] },
      ]
      const epRef = inNs(R.endpoints, 'default')
      const ep = endpoints.getByName('default', 'kubernetes')
      const epLabels = { 'endpointslice.kubernetes.io/skip-mirror': 'true' }
      if (!ep)
        await ctx.client
          .create(epRef, {
            apiVersion: 'v1',
            kind: 'Endpoints',
            metadata: { name: 'kubernetes', namespace: 'default', labels: epLabels },
            subsets,
          })
          .catch(ignoreExists)
      else if (!deepEqual(ep.subsets, subsets)) await ctx.client.update(epRef, { ...ep, subsets })
      const slice: KubeObject = {
        addressType: 'IPv4',
        endpoints: [{ addresses: [api.address], conditions: { ready: true } }],
        ports: [{ name: 'https', port: api.port, protocol: 'TCP' }],
      }
      const sRef = inNs(R.endpointslices, 'default')
      const s = slices.getByName('default', 'kubernetes')
      if (!s)
        await ctx.client
          .create(sRef, {
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: {
              name: 'kubernetes',
              namespace: 'default',
              labels: { 'kubernetes.io/service-name': 'kubernetes' },
            },
            ...slice,
          })
          .catch(ignoreExists)
      else if (!deepEqual(s.endpoints, slice.endpoints) || !deepEqual(s.ports, slice.ports))
        await ctx.client.update(sRef, { ...s, ...slice })
    },
  })
  c.enqueue(KEY)
  const mine = (o: KubeObject) =>
    o.metadata?.namespace === 'default' && o.metadata?.name === 'kubernetes' && c.enqueue(KEY)
  for (const inf of [endpoints, slices]) inf.addHandler({ update: (_, o) => mine(o), delete: mine })
  return c
}

function ignoreExists(err: unknown): void {
  if ((err as { code?: number }).code !== 409) throw err
}
