// Node lifecycle (kube-controller-manager's nodelifecycle): a node whose Lease in kube-node-lease (or
// Ready heartbeat) has not changed for --node-monitor-grace-period, measured on this controller's clock
// as upstream does, gets Ready (and the pressure conditions) Unknown with "Kubelet stopped posting node
// status.", its pods Ready=False, and the unreachable NoSchedule/NoExecute taints; Ready=False gets the
// not-ready ones; a node back to Ready loses them. Pods on a NoExecute-tainted node are deleted at once
// unless they tolerate the taint, then after their tolerationSeconds (taint-based eviction).
import type { Taint } from 'kubernetes-types/core/v1'
import type { KubeObject } from '../registry/types.ts'
import { type ControllerContext, newController } from './context.ts'
import type { Controller } from './lib/controller.ts'
import { splitKey } from './lib/object-key.ts'
import { inNs, R } from './lib/resources.ts'
import { desiredTaints, evictionTime, sameTaints } from './node-lifecycle-taints.ts'

export const DEFAULT_NODE_MONITOR_GRACE_MS = 40_000
const LEASE_NS = 'kube-node-lease'
const STOPPED = 'Kubelet stopped posting node status.'
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

export function nodeLifecycleController(ctx: ControllerContext): Controller {
  const nodes = ctx.informers.informerFor(R.nodes)
  const leases = ctx.informers.informerFor(R.leases)
  const pods = ctx.informers.informerFor(R.pods)
  const recorder = ctx.events('node-controller')
  const grace = ctx.options.nodeMonitorGracePeriodMs ?? DEFAULT_NODE_MONITOR_GRACE_MS
  /** the last heartbeat seen per node and when this controller saw it change */
  const probes = new Map<string, { beat: string; at: number }>()

  const c = newController(ctx, {
    name: 'node-lifecycle-controller',
    workers: 4,
    async reconcile(key) {
      if (key.startsWith('pod/')) return reconcilePod(key.slice(4))
      return reconcileNode(key)
    },
  })

  async function reconcileNode(name: string) {
    const node = nodes.get(name)
    if (!node) {
      probes.delete(name)
      return
    }
    const now = ctx.now()
    const lease = leases.get(`${LEASE_NS}/${name}`)
    const conds: any[] = node.status?.conditions ?? []
    const ready = conds.find((x) => x.type === 'Ready')
    const beat = `${lease?.spec?.renewTime ?? ''}|${ready?.lastHeartbeatTime ?? ''}|${ready?.status ?? ''}`
    const probe = probes.get(name)
    // upstream's node controller announces every node it starts tracking (kubectl describe node shows it)
    if (!probe)
      recorder.event(node, 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`)
    if (!probe || probe.beat !== beat) probes.set(name, { beat, at: now })
    const since = probes.get(name)!.at
    const stale = now - since >= grace
    let status: string | undefined = ready?.status
    if (stale && status !== 'Unknown') {
      await markUnknown(node, conds, now)
      status = 'Unknown'
    } else if (stale) status = 'Unknown'
    if (status !== undefined) {
      const want = desiredTaints(node.spec?.taints, status, rfc3339(now))
      if (!sameTaints(node.spec?.taints, want)) {
        await ctx.client.update(R.nodes, { ...node, spec: { ...node.spec, taints: want.length ? want : undefined } })
        if (status === 'True') recorder.event(node, 'Normal', 'NodeReady', `Node ${name} status is now: NodeReady`)
      }
    }
    return stale ? undefined : { requeueAfterMs: grace - (now - since) + 50 }
  }

  async function markUnknown(node: KubeObject, conds: any[], now: number) {
    const name = node.metadata?.name ?? ''
    const types = new Set(['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure', ...conds.map((x) => x.type)])
    const next = [...types].map((type) => {
      const old = conds.find((x) => x.type === type)
      return {
        type,
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: STOPPED,
        lastHeartbeatTime: old?.lastHeartbeatTime ?? rfc3339(now),
        lastTransitionTime: rfc3339(now),
      }
    })
    await ctx.client.patch(R.nodes, name, 'strategic', { status: { conditions: next } }, { subresource: 'status' })
    recorder.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`)
    // upstream MarkPodsNotReady: endpoints stop sending traffic to pods on a silent node
    for (const p of pods.byIndex('nodeName', name)) {
      const podReady = p.status?.conditions?.find((x: any) => x.type === 'Ready')
      if (podReady?.status === 'False' || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue
      await ctx.client
        .patch(
          inNs(R.pods, p.metadata?.namespace),
          p.metadata?.name ?? '',
          'strategic',
          {
            status: {
              conditions: [{ type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: rfc3339(now) }],
            },
          },
          { subresource: 'status' },
        )
        .catch(() => {})
    }
  }

  async function reconcilePod(key: string) {
    const pod = pods.get(key)
    if (!pod || pod.metadata?.deletionTimestamp || !pod.spec?.nodeName) return
    const node = nodes.get(pod.spec.nodeName)
    const when = evictionTime(node?.spec?.taints as Taint[] | undefined, pod.spec?.tolerations, ctx.now())
    if (when === undefined) return
    if (when !== 'now') return { requeueAfterMs: when - ctx.now() + 10 }
    const { namespace, name } = splitKey(key)
    recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`)
    await ctx.client.delete(inNs(R.pods, namespace), name, { preconditions: { uid: pod.metadata?.uid } }).catch((e) => {
      if (e.code !== 404 && e.code !== 409) throw e
    })
  }

  const hasNoExecute = (n: KubeObject | undefined) =>
    (n?.spec?.taints ?? []).some((t: Taint) => t.effect === 'NoExecute')
  const enqueuePodsOf = (nodeName: string) => {
    for (const p of pods.byIndex('nodeName', nodeName)) c.enqueue(`pod/${p.metadata?.namespace}/${p.metadata?.name}`)
  }
  nodes.addHandler({
    add: (n) => {
      c.enqueue(n.metadata?.name ?? '')
      if (hasNoExecute(n)) enqueuePodsOf(n.metadata?.name ?? '')
    },
    update: (o, n) => {
      c.enqueue(n.metadata?.name ?? '')
      if (!sameTaints(o.spec?.taints, n.spec?.taints) && hasNoExecute(n)) enqueuePodsOf(n.metadata?.name ?? '')
    },
    delete: (n) => c.enqueue(n.metadata?.name ?? ''),
  })
  const onLease = (l: KubeObject) => {
    if (l.metadata?.namespace === LEASE_NS) c.enqueue(l.metadata?.name ?? '')
  }
  leases.addHandler({ add: onLease, update: (_o, l) => onLease(l) })
  const onPod = (p: KubeObject) => {
    const n = p.spec?.nodeName && nodes.get(p.spec.nodeName)
    if (n && hasNoExecute(n)) c.enqueue(`pod/${p.metadata?.namespace}/${p.metadata?.name}`)
  }
  pods.addHandler({ add: onPod, update: (_o, p) => onPod(p) })
  return c
}
