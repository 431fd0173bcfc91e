// Node registration and heartbeats, as the kubelet's node status manager: create the Node (or take the
// existing one over, refreshing our labels), renew the kube-node-lease Lease every 10 s, post the full
// status every minute, and wait for the podCIDR the server's node IPAM assigns.
import type { Node } from 'kubernetes-types/core/v1'
import type { Client } from '../../server/client/types.ts'
import { logger } from '../../shared/log.ts'
import { leaseObject, renewTime } from '../simulate/node-object.ts'
import { type NodeSpecInput, nodeLabels, nodeObject, nodeStatus } from './node-object.ts'

const log = logger('node')
const NODES = { group: '', version: 'v1', resource: 'nodes' }
const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-node-lease' }
const LEASE_SECONDS = 40

export interface HeartbeatOptions {
  leaseRenewMs?: number
  statusUpdateMs?: number
  /** why the node is not ready (e.g. Docker unreachable), undefined when healthy */
  health?: () => Promise<string | undefined>
}

export class NodeHeartbeat {
  private uid?: string
  private lease?: Record<string, unknown> & { spec?: Record<string, unknown> }
  private timers: ReturnType<typeof setInterval>[] = []
  private readySince = Date.now()
  private lastNotReady?: string

  constructor(
    private readonly client: Client,
    private readonly input: NodeSpecInput,
    private readonly o: HeartbeatOptions = {},
  ) {}

  /** Creates the Node, or refreshes labels and status of the one already registered under this name. */
  async register(): Promise<Node> {
    const now = Date.now()
    let node: Node
    try {
      node = await this.client.create<Node>(NODES, nodeObject(this.input, now))
      log.info('node registered', { node: this.input.name })
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e
      node = await this.client.patch<Node>(NODES, this.input.name, 'merge', {
        metadata: { labels: nodeLabels(this.input) },
      })
    }
    this.uid = node.metadata?.uid
    await this.postStatus()
    await this.renewLease()
    return node
  }

  /** Resolves with spec.podCIDR once the server has assigned one. */
  async waitForPodCidr(signal?: AbortSignal): Promise<string> {
    let warned = false
    const started = Date.now()
    for (;;) {
      const node = await this.client.get<Node>(NODES, this.input.name)
      const cidr = node.spec?.podCIDR
      if (cidr) return cidr
      if (!warned && Date.now() - started > 10_000) {
        log.warn('waiting for the server to assign this node a podCIDR (node IPAM controller)', {
          node: this.input.name,
        })
        warned = true
      }
      if (signal?.aborted) throw new Error('stopped while waiting for a podCIDR')
      await Bun.sleep(300)
    }
  }

  start(): void {
    this.timers.push(
      setInterval(
        () => void this.renewLease().catch((err) => log.warn('node lease renewal failed', { err })),
        this.o.leaseRenewMs ?? 10_000,
      ),
      setInterval(
        () => void this.postStatus().catch((err) => log.warn('node status update failed', { err })),
        this.o.statusUpdateMs ?? 60_000,
      ),
    )
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t)
    this.timers = []
  }

  async postStatus(): Promise<void> {
    const notReady = await this.o.health?.().catch((e) => (e as Error).message)
    if (!!notReady !== !!this.lastNotReady) {
      this.readySince = Date.now()
      if (notReady) log.warn('node not ready', { reason: notReady })
    }
    this.lastNotReady = notReady
    await this.client.patch(
      NODES,
      this.input.name,
      'merge',
      { status: nodeStatus(this.input, Date.now(), this.readySince, notReady) },
      { subresource: 'status' },
    )
  }

  private async renewLease(): Promise<void> {
    const now = Date.now()
    if (this.lease) {
      try {
        this.lease = await this.client.update(LEASES, {
          ...this.lease,
          spec: { ...this.lease.spec, holderIdentity: this.input.name, renewTime: renewTime(now) },
        } as never)
        return
      } catch (e) {
        if (![404, 409].includes((e as { code?: number }).code ?? 0)) throw e
      }
    }
    try {
      this.lease = await this.client.create(LEASES, leaseObject(this.input.name, this.uid, LEASE_SECONDS, now) as never)
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e
      const cur = await this.client.get<Record<string, unknown> & { spec?: Record<string, unknown> }>(
        LEASES,
        this.input.name,
      )
      this.lease = await this.client.update(LEASES, {
        ...cur,
        spec: { ...cur.spec, holderIdentity: this.input.name, renewTime: renewTime(now) },
      } as never)
    }
  }
}
