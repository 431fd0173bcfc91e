// `kubun simulate`: N fake nodes joined through the real join path (a node certificate each), registered
// as Nodes, heart-beating through Leases, and running their pods on the fake runtime. One pod watch
// (fieldSelector spec.nodeName!=) and one node watch serve every node; status writes are batched.
// Killing the process stops the leases, so the server marks the nodes NotReady and evicts their pods.
import type { Pod } from 'kubernetes-types/core/v1'
import type { Client } from '../../server/client/types.ts'
import { type EventRecorder, eventRecorder } from '../../server/controllers/lib/event-recorder.ts'
import { Informer } from '../../server/controllers/lib/informer.ts'
import { fetchServerCa, joinServer } from '../../server/join/index.ts'
import type { KubeObject } from '../../server/registry/types.ts'
import { logger } from '../../shared/log.ts'
import { podRef } from './crash-backoff.ts'
import { FakeRuntime } from './fake-runtime.ts'
import {
  leaseObject,
  nodeObject,
  nodeStatus,
  parseLabel,
  parseTaint,
  readyConditions,
  renewTime,
  type SimNodeSpec,
} from './node-object.ts'
import { PodIps } from './pod-ips.ts'
import { podStatus } from './pod-status.ts'
import { statusDiffers } from './status-diff.ts'
import { DirtySet } from './status-writer.ts'

const log = logger('simulate')
const NODES = { group: '', version: 'v1', resource: 'nodes' }
const PODS = { group: '', version: 'v1', resource: 'pods' }
const leasesIn = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-node-lease' }
const podsIn = (ns?: string) => ({ ...PODS, namespace: ns })

export interface SimulateOptions {
  server: string
  token: string
  nodes: number
  nodePrefix: string
  cpu: string
  memory: string
  maxPods: number
  labels: string[]
  taints: string[]
  completeAfterMs: number
  /** CrashLoopBackOff base (default 10 s, as the kubelet): restarts wait it, doubling, up to 30× */
  crashBackoffMs?: number
  leaseRenewMs?: number
  leaseDurationSeconds?: number
  statusUpdateMs?: number
  /** nodes joining at once (default 16) */
  joinConcurrency?: number
  /** concurrent status writes (default 32) */
  writeConcurrency?: number
  /** up to this many nodes (default 10) each write with their own identity and connection; above it the
   * first node's connection writes for all (100 per-node TLS connections made 3000 pods take 47 s to
   * run instead of 9 s) */
  perNodeClientsUpTo?: number
}

interface SimNode {
  spec: SimNodeSpec
  client: Client
  /** the kubelet's events for this node's pods (Killing), made on first use */
  recorder?: EventRecorder
  uid?: string
  ips?: PodIps
  lease?: KubeObject
  timers: ReturnType<typeof setInterval>[]
}

interface Tracked {
  ip: string
  node: string
  timer?: ReturnType<typeof setTimeout>
  deleting?: boolean
}

const podKey = (p: Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`

export class Simulator {
  readonly nodes = new Map<string, SimNode>()
  readonly runtime: FakeRuntime
  private tracked = new Map<string, Tracked>()
  private waitingForCidr = new Map<string, Set<string>>()
  private shared!: Client
  private podInformer?: Informer
  private nodeInformer?: Informer
  private writer: DirtySet
  private stopped = false

  constructor(readonly o: SimulateOptions) {
    this.runtime = new FakeRuntime(o.completeAfterMs, Date.now, o.crashBackoffMs ?? 10_000)
    this.writer = new DirtySet(
      (k) => this.writeStatus(k),
      o.writeConcurrency ?? 32,
      (key, err) => {
        const code = (err as { code?: number }).code
        if (code !== 404 && code !== 409)
          log.warn('pod status update failed; will retry on the next change', { pod: key, err })
        if (code === 409) setTimeout(() => this.writer.mark(key), 100)
      },
    )
  }

  nodeNames(): string[] {
    return [...this.nodes.keys()]
  }

  async start(): Promise<void> {
    const o = this.o
    const caPem = await fetchServerCa(o.server, o.token)
    const labels = Object.fromEntries(o.labels.map(parseLabel))
    const taints = o.taints.map(parseTaint)
    const specs: SimNodeSpec[] = Array.from({ length: o.nodes }, (_, i) => ({
      name: `${o.nodePrefix}${i}`,
      cpu: o.cpu,
      memory: o.memory,
      maxPods: o.maxPods,
      labels,
      taints,
      internalIP: `10.254.${Math.floor(i / 250)}.${(i % 250) + 1}`,
    }))
    const perNode = o.nodes <= (o.perNodeClientsUpTo ?? 10)
    await inBatches(specs, o.joinConcurrency ?? 16, async (spec) => {
      const joined = await joinServer({
        server: o.server,
        token: o.token,
        nodeName: spec.name,
        caPem,
        nodePassword: `sim-${spec.name}`,
      })
      if (!this.shared) this.shared = joined.client
      const node: SimNode = { spec, client: perNode ? joined.client : this.shared, timers: [] }
      this.nodes.set(spec.name, node)
      await this.register(node)
    })
    this.nodeInformer = new Informer(this.shared, NODES)
    this.nodeInformer.addHandler({ add: (n) => this.nodeSeen(n), update: (_o, n) => this.nodeSeen(n) })
    this.nodeInformer.start()
    await this.nodeInformer.hasSynced
    for (const node of this.nodes.values()) this.startHeartbeats(node)
    this.podInformer = new Informer(this.shared, PODS, { fieldSelector: 'spec.nodeName!=' })
    this.podInformer.addHandler({
      add: (p) => this.syncPod(p as Pod),
      update: (_o, p) => this.syncPod(p as Pod),
      delete: (p) => this.forget(p as Pod),
    })
    this.podInformer.start()
    await this.podInformer.hasSynced
    log.info('simulated nodes registered', { nodes: this.nodes.size, first: specs[0]?.name })
  }

  async stop(): Promise<void> {
    this.stopped = true
    for (const n of this.nodes.values()) for (const t of n.timers) clearInterval(t)
    for (const t of this.tracked.values()) if (t.timer) clearTimeout(t.timer)
    this.podInformer?.stop()
    this.nodeInformer?.stop()
  }

  /** resolves when no status write is queued (tests, benchmarks) */
  settled(): Promise<void> {
    return this.writer.drained()
  }

  private async register(node: SimNode): Promise<void> {
    const now = Date.now()
    try {
      const created = await node.client.create<KubeObject>(NODES, nodeObject(node.spec, now) as KubeObject)
      node.uid = created.metadata?.uid
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err
      // registered before (a restarted simulator): report Ready again, keep its spec and podCIDR
      const live = await node.client.patch<KubeObject>(
        NODES,
        node.spec.name,
        'strategic',
        { status: nodeStatus(node.spec, now) },
        { subresource: 'status' },
      )
      node.uid = live.metadata?.uid
    }
    await this.renewLease(node)
  }

  private nodeSeen(n: KubeObject): void {
    const node = this.nodes.get(n.metadata?.name ?? '')
    if (!node || this.stopped) return
    const cidr = n.spec?.podCIDR as string | undefined
    if (cidr && !node.ips) {
      node.ips = new PodIps(cidr)
      const waiting = this.waitingForCidr.get(node.spec.name)
      this.waitingForCidr.delete(node.spec.name)
      for (const key of waiting ?? []) {
        const p = this.podInformer?.get(key)
        if (p) this.syncPod(p as Pod)
      }
    }
    const ready = (n.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready')
    // marked Unknown while we were away (or lagging): post Ready again at once, as a kubelet would
    if (ready && ready.status !== 'True') void this.postStatus(node)
  }

  private startHeartbeats(node: SimNode): void {
    const renewMs = this.o.leaseRenewMs ?? 10_000
    const statusMs = this.o.statusUpdateMs ?? 60_000
    // spread the beats so 1000 nodes do not renew in the same millisecond
    const offset = Math.floor(Math.random() * renewMs)
    const t = setTimeout(() => {
      node.timers.push(
        setInterval(
          () =>
            void this.renewLease(node).catch((err) => log.warn('lease renewal failed', { node: node.spec.name, err })),
          renewMs,
        ),
      )
    }, offset)
    node.timers.push(t as unknown as ReturnType<typeof setInterval>)
    node.timers.push(setInterval(() => void this.postStatus(node), statusMs))
  }

  private async postStatus(node: SimNode): Promise<void> {
    if (this.stopped) return
    await node.client
      .patch(
        NODES,
        node.spec.name,
        'strategic',
        { status: { conditions: readyConditions(Date.now()) } },
        { subresource: 'status' },
      )
      .catch((err) => log.warn('node status update failed', { node: node.spec.name, err }))
  }

  private async renewLease(node: SimNode): Promise<void> {
    if (this.stopped) return
    const now = Date.now()
    const duration = this.o.leaseDurationSeconds ?? 40
    if (node.lease) {
      try {
        node.lease = await node.client.update(leasesIn, {
          ...node.lease,
          spec: { ...node.lease.spec, holderIdentity: node.spec.name, renewTime: renewTime(now) },
        })
        return
      } catch (err) {
        const code = (err as { code?: number }).code
        if (code !== 409 && code !== 404) throw err
      }
    }
    try {
      node.lease = await node.client.create(leasesIn, leaseObject(node.spec.name, node.uid, duration, now))
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err
      node.lease = await node.client.get(leasesIn, node.spec.name)
      node.lease = await node.client.update(leasesIn, {
        ...node.lease!,
        spec: { ...node.lease!.spec, holderIdentity: node.spec.name, renewTime: renewTime(now) },
      })
    }
  }

  private syncPod(pod: Pod): void {
    if (this.stopped) return
    const nodeName = pod.spec?.nodeName ?? ''
    const node = this.nodes.get(nodeName)
    if (!node) return
    const key = podKey(pod)
    const uid = pod.metadata?.uid ?? ''
    const t = this.tracked.get(uid)
    if (pod.metadata?.deletionTimestamp) {
      // fake containers stop at once; the kubelet's last word is the grace-0 delete
      if (t?.deleting) return
      const phase = pod.status?.phase
      if (t && phase !== 'Succeeded' && phase !== 'Failed') {
        // as the kubelet's killContainer: one Killing event per running container
        node.recorder ??= eventRecorder(node.client, 'kubelet', nodeName)
        for (const c of pod.spec?.containers ?? [])
          node.recorder.event(
            { ...pod, apiVersion: 'v1', kind: 'Pod' } as KubeObject,
            'Normal',
            'Killing',
            `Stopping container ${c.name}`,
          )
      }
      this.stopPod(uid)
      this.tracked.set(uid, { ip: '', node: nodeName, deleting: true })
      void node.client
        .delete(podsIn(pod.metadata?.namespace), pod.metadata?.name ?? '', {
          gracePeriodSeconds: 0,
          preconditions: { uid },
        })
        .catch((err) => {
          if (err.code !== 404 && err.code !== 409) log.warn('deleting a pod failed', { pod: key, err })
        })
      return
    }
    const phase = pod.status?.phase
    if (!t && (phase === 'Succeeded' || phase === 'Failed')) return
    if (!t) {
      if (!node.ips) {
        let w = this.waitingForCidr.get(nodeName)
        if (!w) {
          this.waitingForCidr.set(nodeName, (w = new Set()))
          setTimeout(() => {
            if (!node.ips && !this.stopped)
              log.warn(
                'node has no spec.podCIDR yet; its pods wait (the server may have run out: is --cluster-cidr large enough for a /24 per node?)',
                { node: nodeName },
              )
          }, 10_000).unref?.()
        }
        w.add(key)
        return
      }
      const ip = node.ips.allocate()
      this.runtime.startPod(pod, ip)
      this.tracked.set(uid, { ip, node: nodeName })
    }
    this.writer.mark(key)
  }

  private stopPod(uid: string): void {
    const t = this.tracked.get(uid)
    if (!t) return
    if (t.timer) clearTimeout(t.timer)
    if (t.ip) this.nodes.get(t.node)?.ips?.release(t.ip)
    this.runtime.stopPod(uid)
  }

  private forget(pod: Pod): void {
    const uid = pod.metadata?.uid ?? ''
    this.stopPod(uid)
    this.tracked.delete(uid)
  }

  private async writeStatus(key: string): Promise<void> {
    const pod = this.podInformer?.get(key) as Pod | undefined
    if (!pod || pod.metadata?.deletionTimestamp || this.stopped) return
    const uid = pod.metadata?.uid ?? ''
    const t = this.tracked.get(uid)
    const node = this.nodes.get(pod.spec?.nodeName ?? '')
    if (!t || !node) return
    const rt = this.runtime.status(pod)
    if (!rt) return
    this.backoffEvents(node, pod, this.runtime.takeBackoffs(uid))
    const next = this.runtime.nextChangeAt(uid)
    if (t.timer) clearTimeout(t.timer)
    t.timer =
      next !== undefined ? setTimeout(() => this.writer.mark(key), Math.max(0, next - Date.now()) + 5) : undefined
    if (rt.phase !== 'Running') {
      // a finished pod's sandbox is gone: its IP can be reused
      node.ips?.release(t.ip)
      this.runtime.stopPod(uid)
      this.tracked.set(uid, { ...t, ip: '', timer: undefined })
    }
    const want = podStatus(pod, rt, node.spec.internalIP, Date.now())
    if (!statusDiffers(pod.status as Record<string, unknown> | undefined, want)) return
    await node.client.patch(
      podsIn(pod.metadata?.namespace),
      pod.metadata?.name ?? '',
      'strategic',
      { status: want },
      { subresource: 'status' },
    )
  }

  /** kuberuntime doBackOff's Warning; the recorder aggregates repeats into one Event with a count */
  private backoffEvents(node: SimNode, pod: Pod, containers: string[]): void {
    if (!containers.length) return
    node.recorder ??= eventRecorder(node.client, 'kubelet', node.spec.name)
    const m = pod.metadata ?? {}
    for (const name of containers)
      node.recorder.event(
        { ...pod, apiVersion: 'v1', kind: 'Pod' } as KubeObject,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${name} in pod ${podRef(m.name ?? '', m.namespace ?? '', m.uid ?? '')}`,
      )
  }
}

async function inBatches<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0
  const worker = async () => {
    while (i < items.length) await fn(items[i++])
  }
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker))
}
