// What every controller is built from: the client, the shared informers, an event recorder per
// component, timings (tests shorten them) and the controller-manager's flags.
import type { Client } from '../client/types.ts'
import type { KubeObject, ResourceDef } from '../registry/types.ts'
import { Controller, type ControllerSpec, type ControllerTimings } from './lib/controller.ts'
import { type EventRecorder, eventRecorder } from './lib/event-recorder.ts'
import type { EventHandlers } from './lib/informer.ts'
import type { InformerFactory } from './lib/informer-factory.ts'
import { controllerOf, keyOf } from './lib/object-key.ts'

export interface ControllerOptions {
  /** --terminated-pod-gc-threshold (default 12500) */
  terminatedPodGcThreshold?: number
  /** --cluster-cidr, split into a /24 per node by node IPAM */
  clusterCidr?: string
  /** --node-monitor-grace-period in ms (default 40 s): a silent node becomes Ready=Unknown after it */
  nodeMonitorGracePeriodMs?: number
  /** this API server's advertise address and secure port, for the `kubernetes` Service's endpoints */
  apiEndpoint?: { address: string; port: number }
  /** the server CA published as kube-root-ca.crt in every namespace */
  rootCaPem?: string
  /** how often periodic sweeps (pod GC, PDB, HPA, quota) run; default 20 s */
  sweepMs?: number
  /** first Job pod re-creation delay after a failure (upstream 10 s) */
  jobBackoffBaseMs?: number
  /** HPA sync period (--horizontal-pod-autoscaler-sync-period, default 15 s) */
  hpaSyncMs?: number
}

export interface ControllerContext {
  client: Client
  informers: InformerFactory
  /** the served resources (GC and namespace deletion walk them all) */
  resources(): ResourceDef[]
  events(component: string): EventRecorder
  timings: ControllerTimings
  options: ControllerOptions
  now(): number
}

export function newController(ctx: ControllerContext, spec: ControllerSpec): Controller {
  return new Controller(spec, ctx.timings)
}

/** Handlers enqueuing the object's own key. */
export const enqueueSelf = (c: Controller): EventHandlers => ({
  add: (o) => c.enqueue(keyOf(o)),
  update: (_, o) => c.enqueue(keyOf(o)),
  delete: (o) => c.enqueue(keyOf(o)),
})

/** Handlers enqueuing the controlling owner of kind `kind` (pods → their ReplicaSet, ...). */
export const enqueueOwner = (c: Controller, kind: string): EventHandlers => {
  const enqueue = (o: KubeObject) => {
    const ref = controllerOf(o)
    if (ref?.kind === kind) c.enqueue(`${o.metadata?.namespace}/${ref.name}`)
  }
  return {
    add: enqueue,
    update: (old, o) => {
      enqueue(o)
      const before = controllerOf(old)
      if (before && before.uid !== controllerOf(o)?.uid) enqueue(old)
    },
    delete: enqueue,
  }
}

export const defaultRecorder = (client: Client) => (component: string) => eventRecorder(client, component)
