// The kubelet: watches the pods bound to this node (fieldSelector spec.nodeName), keeps a PodWorker per
// pod uid, relists the runtime (one shared list, reused by every pod worker for RELIST_MS unless a
// Docker event or the worker's own action makes it stale: the Docker calls at steady state do not grow
// with the pod count, as PLEG's single relist; Docker events trigger the affected pod at once), tears
// down containers of pods the API no longer has, and serves static pods from the manifest folder.
// Stopping it leaves every container running (like k3s): a restarted agent adopts them.
import type { Pod } from 'kubernetes-types/core/v1'
import { eventRecorder } from '../../server/controllers/lib/event-recorder.ts'
import { Informer } from '../../server/controllers/lib/informer.ts'
import { logger } from '../../shared/log.ts'
import { NODE_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL, podUidOf } from '../runtime/labels.ts'
import type { RuntimeContainer } from '../runtime/runtime.ts'
import type { KubeletContext } from './context.ts'
import { objectSource } from './object-source.ts'
import { PodWorker } from './pod-worker.ts'
import { Prober } from './prober.ts'
import { StaticPods } from './static-pods.ts'
import { hostMounter, type Mounter } from './volumes.ts'

const log = logger('kubelet')
const PODS = { group: '', version: 'v1', resource: 'pods' }
/** how long a runtime list serves the periodic resyncs of every pod (Docker events invalidate it) */
const RELIST_MS = 5000

/** The node facts and ports the pod workers read (declared once, in KubeletContext), plus the kubelet's own settings. */
export type KubeletOptions = Pick<
  KubeletContext,
  | 'client'
  | 'runtime'
  | 'network'
  | 'nodeName'
  | 'nodeIPs'
  | 'dataDir'
  | 'pauseImage'
  | 'clusterDns'
  | 'hostResolv'
  | 'allocatable'
> & {
  /** default hostMounter */
  mounter?: Mounter
  /** <dataDir>/agent/pod-manifests; omit to disable static pods */
  manifestDir?: string
}

export class Kubelet {
  private readonly workers = new Map<string, PodWorker>()
  private readonly informer: Informer<Pod>
  readonly ctx: KubeletContext
  /** the runtime list in flight, joined by callers whose last action precedes its start */
  private inflight?: { seq: number; p: Promise<RuntimeContainer[]> }
  /** the last finished list and when it started */
  private last?: { seq: number; at: number; list: RuntimeContainer[] }
  /** seq of the last runtime change seen through Docker events: older lists are stale */
  private staleBefore = 0
  private seq = 0
  /** runtime lists issued, for bench figures */
  runtimeLists = 0
  private stopEvents?: () => void
  private relistTimer?: ReturnType<typeof setInterval>
  private statics?: StaticPods
  private readonly objects: ReturnType<typeof objectSource>

  constructor(private readonly o: KubeletOptions) {
    this.informer = new Informer<Pod>(o.client, PODS, { fieldSelector: `spec.nodeName=${o.nodeName}` })
    const prober = new Prober(o.runtime, (uid, failure) => {
      const w = this.workers.get(uid)
      if (failure && w && !w.ctx.isStatic(w.pod))
        w.ctx.events.event(
          { apiVersion: 'v1', kind: 'Pod', metadata: w.pod.metadata ?? {} } as never,
          'Warning',
          'Unhealthy',
          `${failure.kind[0].toUpperCase()}${failure.kind.slice(1)} probe failed: ${failure.message}`,
        )
      w?.kick()
    })
    this.objects = objectSource(o.client)
    this.ctx = {
      client: o.client,
      runtime: o.runtime,
      network: o.network,
      prober,
      events: eventRecorder(o.client, 'kubelet', o.nodeName),
      nodeName: o.nodeName,
      nodeIPs: o.nodeIPs,
      dataDir: o.dataDir,
      pauseImage: o.pauseImage,
      clusterDns: o.clusterDns,
      hostResolv: o.hostResolv,
      allocatable: o.allocatable,
      mounter: o.mounter ?? hostMounter,
      objects: this.objects,
      observe: async (uid, after) => (await this.relist(after)).filter((c) => podUidOf(c) === uid),
      actionDone: () => ++this.seq,
      isStatic: (pod) => !!this.statics?.isStatic(pod),
    }
  }

  async start(): Promise<void> {
    this.informer.addHandler({
      add: (p) => this.upsert(p),
      update: (_o, p) => this.upsert(p),
      delete: (p) => this.gone(p),
    })
    this.informer.start()
    await this.informer.hasSynced
    this.stopEvents = this.o.runtime.events((e) => {
      log.debug('runtime event', { action: e.action, id: e.id.slice(0, 12), pod: e.labels[POD_NAME_LABEL] })
      if (e.action === 'die' || e.action === 'start' || e.action === 'oom' || e.action === 'destroy') {
        // a list already in flight may predate this change: later callers must start a fresh one
        this.invalidate()
        const uid = e.labels[POD_UID_LABEL]
        if (!uid) return
        this.workers.get(uid)?.kick()
        // Docker emits `die` before its container list shows the exit: look again shortly after.
        if (e.action === 'die' || e.action === 'oom')
          for (const ms of [200, 1000])
            setTimeout(() => {
              this.invalidate()
              this.workers.get(uid)?.kick()
            }, ms)
      }
    })
    if (this.o.manifestDir) {
      this.statics = new StaticPods(this.o.manifestDir, this.o.nodeName, this.o.client, {
        upsert: (p) => this.upsert(p),
        remove: (p) => this.gone(p),
      })
      await this.statics.start()
    }
    await this.collectOrphans()
    this.relistTimer = setInterval(() => void this.collectOrphans().catch(() => {}), 30_000)
    log.info('kubelet started', { node: this.o.nodeName, pods: this.informer.list().length })
  }

  /** Stops watching and every worker; containers keep running. */
  stop(): void {
    this.informer.stop()
    this.stopEvents?.()
    clearInterval(this.relistTimer)
    this.statics?.stop()
    this.ctx.prober.stopAll()
    this.objects.stop()
    for (const w of this.workers.values()) w.stop()
  }

  /** A runtime list, shared with concurrent callers: a caller joins a list in flight only when that list
   * started after the caller's last action (`after`, from actionDone()), so it never plans on a view
   * older than its own changes. A finished list serves later callers for RELIST_MS the same way, unless
   * a Docker event came after its start. */
  relist(after = 0): Promise<RuntimeContainer[]> {
    const floor = Math.max(after, this.staleBefore)
    const cur = this.inflight
    if (cur && cur.seq > floor) return cur.p
    const last = this.last
    if (last && last.seq > floor && Date.now() - last.at < RELIST_MS) return Promise.resolve(last.list)
    // Only this node's containers: several agents (tests, simulated nodes) may share one Docker.
    const mine = (all: RuntimeContainer[]) => all.filter((c) => c.labels[NODE_LABEL] === this.o.nodeName)
    const at = Date.now()
    const entry = { seq: ++this.seq, p: this.o.runtime.list().then(mine) }
    this.runtimeLists++
    this.inflight = entry
    entry.p.then(
      (list) => {
        if (!this.last || this.last.seq < entry.seq) this.last = { seq: entry.seq, at, list }
      },
      () => {},
    )
    const clear = () => {
      if (this.inflight === entry) this.inflight = undefined
    }
    entry.p.then(clear, clear)
    return entry.p
  }

  /** A runtime change happened: lists started before now no longer serve anyone. */
  private invalidate(): void {
    this.staleBefore = ++this.seq
  }

  private upsert(pod: Pod): void {
    const uid = pod.metadata?.uid
    if (!uid) return
    const w = this.workers.get(uid)
    if (w) {
      w.update(pod)
      return
    }
    // A mirror pod stands for a static pod this kubelet already runs from its manifest.
    if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] && !this.statics?.isStatic(pod)) return
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
      if (!pod.metadata?.deletionTimestamp) return
    }
    const worker = new PodWorker(this.ctx, pod, (id) => this.workers.delete(id))
    this.workers.set(uid, worker)
    worker.kick()
  }

  /** The API object is gone (deleted with grace 0 elsewhere, or our own finalize): stop what runs. */
  private gone(pod: Pod): void {
    const uid = pod.metadata?.uid
    if (!uid) return
    const w = this.workers.get(uid)
    const deleted = {
      ...pod,
      metadata: {
        ...pod.metadata,
        deletionTimestamp: pod.metadata?.deletionTimestamp ?? new Date().toISOString(),
        deletionGracePeriodSeconds: pod.metadata?.deletionGracePeriodSeconds ?? 0,
        annotations: { ...pod.metadata?.annotations, 'kubun.io/orphan': 'true' },
      },
    }
    if (w) w.update(deleted)
    else this.upsert(deleted)
  }

  /** Containers whose pod uid the API does not know are torn down (pods deleted while we were away). */
  private async collectOrphans(): Promise<void> {
    const known = new Set([...this.workers.keys(), ...this.informer.list().map((p) => p.metadata?.uid)])
    const orphans = new Map<string, RuntimeContainer>()
    // a fresh list (not the shared one): it decides what to tear down
    for (const c of await this.relist(this.seq)) {
      const uid = podUidOf(c)
      if (uid && !known.has(uid) && !orphans.has(uid)) orphans.set(uid, c)
    }
    for (const [uid, c] of orphans) {
      log.info('removing containers of a pod that no longer exists', {
        pod: `${c.labels[POD_NAMESPACE_LABEL]}/${c.labels[POD_NAME_LABEL]}`,
      })
      this.gone({
        metadata: { uid, name: c.labels[POD_NAME_LABEL], namespace: c.labels[POD_NAMESPACE_LABEL] },
        spec: { containers: [] },
      })
    }
  }

  /** pods with a worker, for the streaming server and tests */
  podWorkers(): PodWorker[] {
    return [...this.workers.values()]
  }
}
