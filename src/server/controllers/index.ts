// The controller manager: every controller on one shared informer factory, started once this server
// holds the `kubun-controller-manager` Lease (a second server sharing the datastore stands by).
import { logger } from '../../shared/log.ts'
import type { Client } from '../client/types.ts'
import type { ResourceDef } from '../registry/types.ts'
import { schedulerController } from '../scheduler/scheduler-controller.ts'
import type { ControllerContext, ControllerOptions } from './context.ts'
import { defaultRecorder } from './context.ts'
import { cronJobController } from './cron-job.ts'
import { daemonSetController } from './daemon-set.ts'
import { deploymentController } from './deployment.ts'
import { disruptionController } from './disruption.ts'
import { endpointSliceController } from './endpoint-slices.ts'
import { endpointsController } from './endpoints.ts'
import { garbageCollector } from './garbage-collector.ts'
import { horizontalPodAutoscalerController } from './horizontal-pod-autoscaler.ts'
import { jobController } from './job.ts'
import { kubernetesEndpointsController } from './kubernetes-endpoints.ts'
import type { Controller, ControllerTimings } from './lib/controller.ts'
import { InformerFactory } from './lib/informer-factory.ts'
import { type LeaderElection, runLeaderElection } from './lib/leader-election.ts'
import { namespaceController } from './namespace.ts'
import { nodeIpamController } from './node-ipam.ts'
import { nodeLifecycleController } from './node-lifecycle.ts'
import { persistentVolumeBinderController } from './persistent-volume-binder.ts'
import { podGcController } from './pod-gc.ts'
import { replicaSetController, replicationControllerController } from './replica-set.ts'
import { resourceQuotaController } from './resource-quota.ts'
import { serviceAccountController } from './service-account.ts'
import { statefulSetController } from './stateful-set.ts'

const log = logger('controller-manager')

/** Every controller, by its upstream name (kube-controller-manager --controllers). */
export const CONTROLLERS: Record<string, (ctx: ControllerContext) => Controller> = {
  deployment: deploymentController,
  replicaset: replicaSetController,
  replicationcontroller: replicationControllerController,
  garbagecollector: garbageCollector,
  job: jobController,
  statefulset: statefulSetController,
  daemonset: daemonSetController,
  cronjob: cronJobController,
  disruption: disruptionController,
  podgc: podGcController,
  horizontalpodautoscaling: horizontalPodAutoscalerController,
  resourcequota: resourceQuotaController,
  namespace: namespaceController,
  serviceaccount: serviceAccountController,
  endpoint: endpointsController,
  endpointslice: endpointSliceController,
  kubernetesendpoints: kubernetesEndpointsController,
  nodeipam: nodeIpamController,
  nodelifecycle: nodeLifecycleController,
  'persistentvolume-binder': persistentVolumeBinderController,
  scheduler: schedulerController,
}

export interface StartControllersOptions extends ControllerOptions {
  client: Client
  /** the served resources, for the garbage collector and namespace deletion */
  resources: () => ResourceDef[]
  timings?: ControllerTimings
  /** informer resync period (default 10 min, as upstream's min-resync-period-ish) */
  resyncMs?: number
  /** run only these controllers (names as in CONTROLLERS); default all */
  only?: string[]
  /** skip leader election (tests, single-process embedding) */
  leaderElection?:
    | false
    | { identity?: string; leaseDurationMs?: number; renewDeadlineMs?: number; retryPeriodMs?: number }
  /** the controllers' clock (tests move it forward) */
  now?: () => number
  /** called when leadership is lost after it was held; default: exit the process so it restarts clean */
  onLostLeadership?: () => void
}

export interface RunningControllers {
  /** resolves once this process leads and every informer has listed */
  started: Promise<void>
  isLeader(): boolean
  stop(): Promise<void>
}

export function startControllers(o: StartControllersOptions): RunningControllers {
  let running: { informers: InformerFactory; controllers: Controller[] } | undefined
  let markStarted!: () => void
  const started = new Promise<void>((r) => (markStarted = r))

  async function run(): Promise<void> {
    const informers = new InformerFactory(o.client, { resyncMs: o.resyncMs ?? 600_000 })
    const ctx: ControllerContext = {
      client: o.client,
      informers,
      resources: o.resources,
      events: defaultRecorder(o.client),
      timings: o.timings ?? {},
      options: o,
      now: o.now ?? (() => Date.now()),
    }
    const names = o.only ?? Object.keys(CONTROLLERS)
    const controllers = names.map((n) => {
      const make = CONTROLLERS[n]
      if (!make) throw new Error(`unknown controller "${n}"; known: ${Object.keys(CONTROLLERS).join(', ')}`)
      return make(ctx)
    })
    running = { informers, controllers }
    informers.start()
    await informers.waitForSync()
    for (const c of controllers) c.run()
    log.info('controllers started', { count: controllers.length })
    markStarted()
  }

  let election: LeaderElection | undefined
  if (o.leaderElection === false) void run()
  else
    election = runLeaderElection({
      client: o.client,
      ...(o.leaderElection ?? {}),
      onStartedLeading: () => void run(),
      onStoppedLeading: () => {
        if (o.onLostLeadership) o.onLostLeadership()
        else {
          log.error('leadership lost; exiting so the service manager restarts this server as a standby')
          process.exit(1)
        }
      },
    })

  return {
    started,
    isLeader: () => (election ? election.isLeader() : true),
    async stop() {
      if (running) {
        running.informers.stop()
        await Promise.all(running.controllers.map((c) => c.stop()))
        running = undefined
      }
      await election?.stop()
    },
  }
}
