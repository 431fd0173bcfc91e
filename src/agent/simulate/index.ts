// runSimulate(): `kubun simulate` top to bottom: join and register the nodes, run until SIGTERM/SIGINT.
// Stopping leaves the Nodes registered (as a stopped kubelet does): their leases lapse and the server
// marks them NotReady, then evicts their pods.
import { parseDuration, type Resolved, UsageError } from '../../cli/config.ts'
import { logger } from '../../shared/log.ts'
import { Simulator } from './simulator.ts'

export { FakeRuntime, type Runtime } from './fake-runtime.ts'
export { type SimulateOptions, Simulator } from './simulator.ts'

const log = logger('simulate')

/**
 * Without --lease-renew-interval: often enough for a test server's short --node-monitor-grace-period
 * (the acceptance runs 5s; a node renewing every 10s, as a kubelet does, would flap NotReady/Ready),
 * and no more than ~50 renewals/s for large simulated clusters (1000 nodes: 10s, as upstream).
 */
export const defaultLeaseRenewMs = (nodes: number) => Math.min(10_000, Math.max(1_000, nodes * 20))

export async function runSimulate(config: Resolved): Promise<void> {
  if (!config.server) throw new UsageError('--server is required (or KUBUN_URL), e.g. --server https://127.0.0.1:6443')
  if (!config.token)
    throw new UsageError(
      '--token is required (or KUBUN_TOKEN); read it from <data-dir>/server/node-token on the server',
    )
  const sim = new Simulator({
    server: config.server,
    token: config.token,
    nodes: config.nodes,
    nodePrefix: config.nodePrefix,
    cpu: config.cpu,
    memory: config.memory,
    maxPods: config.maxPods,
    labels: config.nodeLabel ?? [],
    taints: config.nodeTaint ?? [],
    completeAfterMs: parseDuration(config.completeAfter),
    crashBackoffMs: parseDuration(config.crashBackoff ?? '10s'),
    leaseRenewMs: config.leaseRenewInterval
      ? parseDuration(config.leaseRenewInterval)
      : defaultLeaseRenewMs(config.nodes),
  })
  await sim.start()
  log.info('simulating', { nodes: sim.nodes.size, server: config.server })
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)
  })
  await sim.stop()
  process.exit(0)
}
