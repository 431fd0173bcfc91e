// The scheduler loop (kube-scheduler's scheduleOne): pop the highest-priority pending pod, run a cycle
// against the cache, assume the pod on the chosen node and bind it through pods/binding in the
// background (several binds in flight); when nothing fits, try preemption, then record PodScheduled=False
// with reason Unschedulable and a FailedScheduling event, and park the pod until the cluster changes.
import { logger } from '../../shared/log.ts'
import type { Client } from '../client/types.ts'
import type { EventRecorder } from '../controllers/lib/event-recorder.ts'
import type { Informer } from '../controllers/lib/informer.ts'
import type { InformerFactory } from '../controllers/lib/informer-factory.ts'
import type { KubeObject } from '../registry/types.ts'
import { SchedulerCache } from './cache.ts'
import { fitErrorMessage, NO_VICTIMS, NOT_HELPFUL, preemptionMessage } from './failure-message.ts'
import { preparePlugins, runCycle } from './framework.ts'
import { addPod, cloneNodeInfo } from './node-info.ts'
import { findPreemption } from './preemption.ts'
import { SchedulingQueue } from './queue.ts'
import type { ClusterView, Node, Pod } from './types.ts'

const log = logger('scheduler')
export const SCHEDULER_NAME = 'default-scheduler'
export const SELECTED_NODE = 'volume.kubernetes.io/selected-node'
const core = (resource: string, namespace?: string) => ({ group: '', version: 'v1', resource, namespace })

export interface SchedulerOptions {
  client: Client
  informers: InformerFactory
  recorder: EventRecorder
  /** binds in flight at once (default 128) */
  maxInflightBinds?: number
}

const isTerminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed'
const wantsUs = (p: Pod) => (p.spec?.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME
const keyOf = (p: Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`

export class Scheduler {
  readonly cache = new SchedulerCache()
  readonly queue = new SchedulingQueue()
  private pods: Informer<Pod & KubeObject>
  private priorityClasses: Informer
  private pvcs: Informer
  private pvs: Informer
  private storageClasses: Informer
  private inflight = 0
  private slot?: () => void
  private stopped = false
  private start = 0
  private loop?: Promise<void>
  /** pods bound by this scheduler (figures for benchmarks) */
  bound = 0
  /** pending pods with status.nominatedNodeName (preemptors waiting for their victims to go) */
  private nominated = new Map<string, { pod: Pod; node: string }>()

  constructor(private o: SchedulerOptions) {
    const f = o.informers
    this.pods = f.informerFor<Pod & KubeObject>({ group: '', version: 'v1', resource: 'pods' })
    const nodes = f.informerFor<Node & KubeObject>({ group: '', version: 'v1', resource: 'nodes' })
    this.priorityClasses = f.informerFor({ group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' })
    this.pvcs = f.informerFor({ group: '', version: 'v1', resource: 'persistentvolumeclaims' })
    this.pvs = f.informerFor({ group: '', version: 'v1', resource: 'persistentvolumes' })
    this.storageClasses = f.informerFor({ group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' })
    // as upstream VolumeBinding's EventsToRegister: a claim binding (or a volume / class appearing) may
    // make a parked pod schedulable; without this it waited out the park (up to a minute)
    const volumesChanged = () => this.queue.moveAllToActive()
    for (const inf of [this.pvcs, this.pvs, this.storageClasses])
      inf.addHandler({ add: volumesChanged, update: volumesChanged })
    nodes.addHandler({
      add: (n) => this.nodeChanged(n),
      update: (_o, n) => this.nodeChanged(n),
      delete: (n) => this.cache.removeNode(n.metadata?.name ?? ''),
    })
    this.pods.addHandler({
      add: (p) => this.podChanged(p),
      update: (_o, p) => this.podChanged(p),
      delete: (p) => this.podDeleted(p),
    })
  }

  run(): void {
    this.loop = this.scheduleLoop()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.queue.close()
    this.slot?.()
    await this.loop
  }

  private nodeChanged(n: Node): void {
    this.cache.upsertNode(n)
    this.queue.moveAllToActive()
  }

  private podChanged(p: Pod): void {
    const nodeName = p.spec?.nodeName
    const nominee = p.status?.nominatedNodeName
    if (nominee && !nodeName && !p.metadata?.deletionTimestamp && !isTerminal(p))
      this.nominated.set(keyOf(p), { pod: this.resolvePriority(p), node: nominee })
    else this.nominated.delete(keyOf(p))
    if (nodeName) {
      this.queue.delete(p)
      if (isTerminal(p)) this.podDeleted(p)
      else this.cache.addPod(p, nodeName)
      return
    }
    if (wantsUs(p) && !p.metadata?.deletionTimestamp && !isTerminal(p)) this.queue.add(p)
  }

  private podDeleted(p: Pod): void {
    this.nominated.delete(keyOf(p))
    this.queue.delete(p)
    if (this.cache.hasPod(p)) {
      this.cache.removePod(p)
      this.queue.moveAllToActive()
    }
  }

  private view(): ClusterView {
    return {
      nodes: this.cache.nodeInfos(),
      podsWithAffinity: this.cache.podsWithAffinity(),
      pvcs: { get: (k) => this.pvcs.get(k) },
      pvs: { get: (k) => this.pvs.get(k) },
      storageClasses: { get: (k) => this.storageClasses.get(k) },
    }
  }

  /** upstream addGENominatedPods: a node keeps room for the pods nominated to it with at least this
   * pod's priority, so a lower-priority pod cannot take the place a preemption just freed */
  private withNominated(view: ClusterView, pod: Pod): ClusterView {
    if (this.nominated.size === 0) return view
    const prio = pod.spec?.priority ?? 0
    const byNode = new Map<string, Pod[]>()
    for (const [key, n] of this.nominated) {
      if (key === keyOf(pod) || (n.pod.spec?.priority ?? 0) < prio) continue
      byNode.set(n.node, [...(byNode.get(n.node) ?? []), n.pod])
    }
    if (byNode.size === 0) return view
    const nodes = view.nodes.map((info) => {
      const extra = byNode.get(info.node.metadata?.name ?? '')
      if (!extra) return info
      const copy = cloneNodeInfo(info)
      for (const p of extra) addPod(copy, { ...p, spec: { ...p.spec!, nodeName: info.node.metadata?.name } })
      return copy
    })
    return { ...view, nodes }
  }

  /** upstream PodEligibleToPreemptOthers: a preemptor whose nominated node still has a lower-priority pod
   * terminating waits for it instead of preempting again elsewhere (which took a second victim) */
  private victimsStillGoing(pod: Pod, view: ClusterView, failures: Map<string, { resolvable: boolean }>): boolean {
    const node = this.nominated.get(keyOf(pod))?.node ?? pod.status?.nominatedNodeName
    if (!node || failures.get(node)?.resolvable === false) return false
    const info = view.nodes.find((n) => n.node.metadata?.name === node)
    const prio = pod.spec?.priority ?? 0
    for (const p of info?.pods.values() ?? [])
      if (p.metadata?.deletionTimestamp && (p.spec?.priority ?? 0) < prio) return true
    return false
  }

  /** spec.priority from the PriorityClass when admission did not set it (or the globalDefault class). */
  private resolvePriority(pod: Pod): Pod {
    if (pod.spec?.priority !== undefined) return pod
    const name = pod.spec?.priorityClassName
    const pc = name
      ? this.priorityClasses.get(name)
      : this.priorityClasses.list().find((c) => (c as { globalDefault?: boolean }).globalDefault)
    return { ...pod, spec: { ...pod.spec!, priority: (pc as { value?: number } | undefined)?.value ?? 0 } }
  }

  private async scheduleLoop(): Promise<void> {
    let slice = performance.now()
    while (!this.stopped) {
      // a busy queue resolves pop() without leaving the microtask queue: give I/O (API requests,
      // watches) a turn every few milliseconds so scheduling a burst does not stall the server
      if (performance.now() - slice > 5) {
        await new Promise((r) => setImmediate(r))
        slice = performance.now()
      }
      const queued = await this.queue.pop()
      if (!queued || this.stopped) return
      const live = this.pods.get(keyOf(queued)) as Pod | undefined
      if (
        !live ||
        live.spec?.nodeName ||
        live.metadata?.deletionTimestamp ||
        live.metadata?.uid !== queued.metadata?.uid
      )
        continue
      if (this.cache.hasPod(live)) continue // assumed, binding in flight
      try {
        await this.scheduleOne(this.resolvePriority(live))
      } catch (err) {
        log.warn('scheduling cycle failed; retrying the pod', { pod: keyOf(live), err })
        this.queue.parkUnschedulable(live)
      }
    }
  }

  private async scheduleOne(pod: Pod): Promise<void> {
    const view = this.withNominated(this.view(), pod)
    const r = runCycle(pod, view, { start: this.start++ })
    if (r.node) {
      const nodeName = r.node.node.metadata!.name!
      this.cache.addPod({ ...pod, spec: { ...pod.spec!, nodeName } }, nodeName)
      this.queue.done(pod)
      await this.acquireSlot()
      void this.bind(pod, nodeName).finally(() => this.releaseSlot())
      return
    }
    let message = fitErrorMessage(r.nodes, r.failures.values())
    const prio = pod.spec?.priority ?? 0
    if (pod.spec?.preemptionPolicy === 'Never') message += ' preemption: not eligible due to preemptionPolicy=Never.'
    else if (this.victimsStillGoing(pod, view, r.failures))
      message += ' preemption: not eligible due to a terminating pod on the nominated node.'
    else if (r.nodes > 0) {
      const out =
        prio > this.cache.minPriority ? findPreemption(pod, view, r.failures, preparePlugins(pod, view)) : undefined
      if (out?.plan) {
        await this.preempt(pod, out.plan.node.node.metadata!.name!, out.plan.victims)
        this.queue.parkUnschedulable(pod)
        return
      }
      const reasons = out?.reasons ?? reasonsWithoutPreemption(r.failures)
      message += preemptionMessage(r.nodes, reasons)
    }
    await this.markUnschedulable(pod, message)
    this.queue.parkUnschedulable(pod)
  }

  private async bind(pod: Pod, nodeName: string): Promise<void> {
    const ns = pod.metadata?.namespace
    const name = pod.metadata?.name ?? ''
    try {
      await this.selectNodeForClaims(pod, nodeName)
      await this.o.client.createSubresource(core('pods', ns), name, 'binding', {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name, namespace: ns, uid: pod.metadata?.uid },
        target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
      })
      this.bound++
      this.o.recorder.event(
        pod as KubeObject,
        'Normal',
        'Scheduled',
        `Successfully assigned ${ns}/${name} to ${nodeName}`,
      )
    } catch (err) {
      // forget the assumption; the pod comes back through the queue if it still exists unbound
      this.cache.removePod(pod)
      const code = (err as { code?: number }).code
      if (code !== 404 && code !== 409)
        log.warn('binding failed; retrying', { pod: `${ns}/${name}`, node: nodeName, err })
      const live = this.pods.get(`${ns}/${name}`) as Pod | undefined
      if (live && !live.spec?.nodeName) this.queue.parkUnschedulable(live)
    }
  }

  /** WaitForFirstConsumer claims learn the chosen node (upstream VolumeBinding PreBind), so a
   * provisioner can make the volume there; the kubelet waits for the claim to bind. */
  private async selectNodeForClaims(pod: Pod, nodeName: string): Promise<void> {
    const ns = pod.metadata?.namespace
    for (const v of pod.spec?.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName
      const pvc = claim ? this.pvcs.get(`${ns}/${claim}`) : undefined
      if (!pvc || pvc.spec?.volumeName) continue
      const sc = this.storageClasses.get(pvc.spec?.storageClassName ?? '')
      if ((sc as { volumeBindingMode?: string } | undefined)?.volumeBindingMode !== 'WaitForFirstConsumer') continue
      if (pvc.metadata?.annotations?.[SELECTED_NODE] === nodeName) continue
      await this.o.client.patch(core('persistentvolumeclaims', ns), claim!, 'merge', {
        metadata: { annotations: { [SELECTED_NODE]: nodeName } },
      })
    }
  }

  private async preempt(pod: Pod, nodeName: string, victims: Pod[]): Promise<void> {
    const ns = pod.metadata?.namespace
    this.nominated.set(keyOf(pod), { pod, node: nodeName })
    await this.o.client
      .patch(
        core('pods', ns),
        pod.metadata?.name ?? '',
        'merge',
        { status: { nominatedNodeName: nodeName } },
        { subresource: 'status' },
      )
      .catch((err) => log.debug('setting nominatedNodeName failed', { err }))
    for (const v of victims) {
      this.o.recorder.event(
        v as KubeObject,
        'Normal',
        'Preempted',
        `Preempted by pod ${pod.metadata?.uid} on node ${nodeName}`,
      )
      await this.o.client
        .delete(core('pods', v.metadata?.namespace), v.metadata?.name ?? '', {
          preconditions: { uid: v.metadata?.uid },
        })
        .catch((err) => log.debug('deleting a preemption victim failed', { err }))
    }
  }

  private async markUnschedulable(pod: Pod, message: string): Promise<void> {
    const ns = pod.metadata?.namespace
    const name = pod.metadata?.name ?? ''
    const cur = pod.status?.conditions?.find((c) => c.type === 'PodScheduled')
    this.o.recorder.event(pod as KubeObject, 'Warning', 'FailedScheduling', message)
    if (cur?.status === 'False' && cur.message === message) return
    const condition = {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message,
      lastProbeTime: null,
      lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    }
    await this.o.client
      .patch(core('pods', ns), name, 'strategic', { status: { conditions: [condition] } }, { subresource: 'status' })
      .catch((err) => log.debug('recording PodScheduled=False failed', { pod: `${ns}/${name}`, err }))
  }

  private acquireSlot(): Promise<void> {
    if (this.inflight < (this.o.maxInflightBinds ?? 128)) {
      this.inflight++
      return Promise.resolve()
    }
    return new Promise((r) => {
      this.slot = () => {
        this.inflight++
        r()
      }
    })
  }

  private releaseSlot(): void {
    this.inflight--
    const s = this.slot
    this.slot = undefined
    s?.()
  }
}

/** Without candidates (no lower-priority pod anywhere): each node is "no victims" or "not helpful". */
function reasonsWithoutPreemption(failures: Map<string, { resolvable: boolean }>): Map<string, number> {
  const out = new Map<string, number>()
  for (const f of failures.values()) {
    const r = f.resolvable ? NO_VICTIMS : NOT_HELPFUL
    out.set(r, (out.get(r) ?? 0) + 1)
  }
  return out
}
