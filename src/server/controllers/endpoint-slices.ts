// The EndpointSlice controller (upstream pkg/controller/endpointslice): a Service with a selector gets
// slices of its pods' addresses, labelled `kubernetes.io/service-name` and managed-by
// `endpointslice-controller.k8s.io`, owned by the Service. Slices are matched to the desired ones by
// port set and rewritten only when their content changes.
import type { KubeObject } from '../registry/types.ts'
import { type ControllerContext, newController } from './context.ts'
import { deepEqual } from './deployment-util.ts'
import { desiredSlices, managesEndpoints, selectsPod } from './endpoints-plan.ts'
import type { Controller } from './lib/controller.ts'
import type { Informer } from './lib/informer.ts'
import { keyOf, splitKey } from './lib/object-key.ts'
import { controllerRef, type Pod } from './lib/pods.ts'
import { inNs, R } from './lib/resources.ts'

export const SERVICE_NAME = 'kubernetes.io/service-name'
export const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by'
const CONTROLLER_NAME = 'endpointslice-controller.k8s.io'

/** Labels of a managed object: the Service's own (minus reserved ones) plus ours, as upstream. */
export function serviceLabels(svc: KubeObject, extra: Record<string, string>): Record<string, string> {
  const labels: Record<string, string> = {}
  for (const [k, v] of Object.entries(svc.metadata?.labels ?? {}))
    if (k !== SERVICE_NAME && k !== MANAGED_BY) labels[k] = v as string
  if (svc.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = ''
  return { ...labels, ...extra }
}

export function endpointSliceController(ctx: ControllerContext): Controller {
  const services = ctx.informers.informerFor(R.services)
  const pods = ctx.informers.informerFor<Pod>(R.pods)
  const slices = ctx.informers.informerFor(R.endpointslices)

  const c = newController(ctx, {
    name: 'endpointslice-controller',
    workers: 4,
    async reconcile(key) {
      const { namespace, name } = splitKey(key)
      const svc = services.get(key)
      const ref = inNs(R.endpointslices, namespace)
      const mine = slices
        .list(namespace)
        .filter(
          (s) => s.metadata?.labels?.[SERVICE_NAME] === name && s.metadata?.labels?.[MANAGED_BY] === CONTROLLER_NAME,
        )
      if (!svc || !managesEndpoints(svc) || svc.metadata?.deletionTimestamp) {
        // the garbage collector removes slices of a deleted Service; a selector removed leaves none either
        if (svc) for (const s of mine) await ignore404(ctx.client.delete(ref, s.metadata!.name!))
        return
      }
      const owner = { apiVersion: 'v1', kind: 'Service', ...svc }
      const labels = serviceLabels(svc, { [SERVICE_NAME]: name, [MANAGED_BY]: CONTROLLER_NAME })
      const want = desiredSlices(svc, pods.list(namespace))
      const free = [...mine].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
      let lastRv: string | undefined
      for (const body of want) {
        const i = free.findIndex((s) => deepEqual(s.ports ?? [], body.ports ?? []))
        const existing = i >= 0 ? free.splice(i, 1)[0] : free.shift()
        if (existing) {
          const same =
            deepEqual(existing.endpoints ?? [], body.endpoints) &&
            deepEqual(existing.ports ?? [], body.ports ?? []) &&
            deepEqual(existing.metadata?.labels ?? {}, labels) &&
            existing.addressType === body.addressType
          if (same) continue
          const next: KubeObject = { ...existing, ...body, metadata: { ...existing.metadata, labels } }
          if (!body.ports) delete next.ports
          lastRv = (await ctx.client.update<KubeObject>(ref, next)).metadata?.resourceVersion
        } else {
          const created = await ctx.client.create<KubeObject>(ref, {
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: { generateName: `${name}-`, namespace, labels, ownerReferences: [controllerRef(owner)] },
            ...body,
          })
          lastRv = created.metadata?.resourceVersion
        }
      }
      for (const s of free) await ignore404(ctx.client.delete(ref, s.metadata!.name!))
      // a second pass must not create the same slices again from a cache that lacks them
      await slices.waitForResourceVersion(lastRv)
    },
  })
  wireServiceHandlers(c, services, pods)
  slices.addHandler({
    add: (s) => wakeForSlice(c, s),
    update: (_, s) => wakeForSlice(c, s),
    delete: (s) => wakeForSlice(c, s),
  })
  return c
}

function wakeForSlice(c: Controller, s: KubeObject): void {
  const svc = s.metadata?.labels?.[SERVICE_NAME]
  if (svc && s.metadata?.labels?.[MANAGED_BY] === CONTROLLER_NAME) c.enqueue(`${s.metadata?.namespace}/${svc}`)
}

/** Services enqueue themselves; a pod change enqueues every Service in its namespace that selects it
 * before or after the change. Shared with the Endpoints controller. */
export function wireServiceHandlers(c: Controller, services: Informer, pods: Informer<Pod>): void {
  services.addHandler({
    add: (s) => c.enqueue(keyOf(s)),
    update: (_, s) => c.enqueue(keyOf(s)),
    delete: (s) => c.enqueue(keyOf(s)),
  })
  const wake = (...ps: Pod[]) => {
    for (const svc of services.list(ps[0].metadata?.namespace))
      if (managesEndpoints(svc) && ps.some((p) => selectsPod(svc, p))) c.enqueue(keyOf(svc))
  }
  pods.addHandler({
    add: (p) => wake(p),
    update: (old, p) => {
      if (old.metadata?.resourceVersion !== p.metadata?.resourceVersion) wake(old, p)
    },
    delete: (p) => wake(p),
  })
}

async function ignore404(p: Promise<unknown>): Promise<void> {
  try {
    await p
  } catch (err) {
    if ((err as { code?: number }).code !== 404) throw err
  }
}
