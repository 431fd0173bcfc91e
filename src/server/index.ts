// runServer(): the server's start-up script, read top to bottom:
//   data dir → datastore → API (creates the cluster CA) → etcd shim → joins → controllers → ready.
// Each step awaits its component's readiness, never a sleep. Every started component registers how
// to stop it; SIGTERM/SIGINT stop them in reverse order and exit 0. A step that fails stops what
// already started and rethrows with the step's name, so main.ts prints one line and exits non-zero.
import { mkdirSync, readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { join } from 'node:path'
import type { Resolved } from '../cli/config.ts'
import { parseDuration, UsageError } from '../cli/config.ts'
import type { Backend } from '../datastore/backend.ts'
import { ListenAddressError, parseListenAddress } from '../datastore/etcd-shim/listen-address.ts'
import { defaultEndpoint, openBackend } from '../datastore/index.ts'
import { resolveAdvertiseAddress } from '../shared/host-address.ts'
import { logger } from '../shared/log.ts'
import { type ApiStep, startApi } from './api/start.ts'
import { inProcessClient } from './client/in-process.ts'
import { startControllers } from './controllers/index.ts'
import { podAdmissionStrategies } from './controllers/node-lifecycle-admission.ts'
import { quotaAdmission } from './controllers/quota-admission.ts'
import { serveJoin } from './join/index.ts'
import { ensureEtcdCerts, type Pki } from './tls/index.ts'
import { hostIpv4s } from './tls/sans.ts'

const log = logger('server')

export async function runServer(input: Resolved): Promise<void> {
  checkFlags(input)
  // the address pods and agents reach this API server at (k3s: --advertise-address, else --node-ip,
  // else the host's primary IPv4): the `kubernetes` Service endpoints and the certificate carry it
  const config: Resolved = { ...input, advertiseAddress: resolveAdvertiseAddress(input) }
  const components = new Components()
  try {
    prepareDataDir(config.dataDir)
    const store = await step('starting the datastore', () => startDatastore(config, components))
    const api = await step('starting the API server', () => startApiServer(store, config, components))
    // after the API step: a non-loopback address serves TLS from the cluster CA it creates
    const etcd = config.etcdListen
      ? await step('starting the etcd API', () => startEtcdApi(store, config.etcdListen, api.pki, components))
      : undefined
    await step('serving node joins', () =>
      serveJoin(api, config.dataDir, {
        clusterCidr: config.clusterCidr,
        serviceCidr: config.serviceCidr,
        clusterDns: config.clusterDns,
        clusterDomain: config.clusterDomain,
        nodePortRange: config.serviceNodePortRange,
      }),
    )
    await step('starting the controllers and scheduler', () => startControllerManager(api, config, components))
    // Addons start here once their issues land.
    startLocalAgent(config, api.port, components)
    log.info('kubun server ready', {
      dataDir: config.dataDir,
      kubeconfig: config.writeKubeconfig,
      api: `https://${config.bindAddress}:${api.port}`,
      ...(etcd && { etcd: etcd.address }),
    })
  } catch (err) {
    await components.stopAll()
    throw err
  }
  await components.stopOnSignal()
  // Every component is closed; exit now rather than wait on handles a library may leave behind.
  process.exit(0)
}

/** Flag combinations valid for the parser but not for this server: exit 2 before anything starts. */
function checkFlags(config: Resolved): void {
  if (!config.etcdListen) return
  try {
    parseListenAddress(config.etcdListen)
  } catch (err) {
    if (err instanceof ListenAddressError) throw new UsageError(err.message)
    throw err
  }
}

function prepareDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  } catch (err) {
    throw new Error(
      `cannot create data dir ${dataDir}: ${(err as NodeJS.ErrnoException).code ?? err}; choose another --data-dir or fix its permissions`,
    )
  }
}

async function startDatastore(config: Resolved, components: Components): Promise<Backend> {
  const store = openBackend(config.datastoreEndpoint ?? defaultEndpoint(config.dataDir))
  await store.start()
  components.add('datastore', () => store.close())
  return store
}

async function startEtcdApi(store: Backend, listen: string, pki: Pki, components: Components) {
  // Loaded only with --etcd-listen: gRPC and its proto loader cost ~150 ms of every start otherwise.
  const { startEtcdShim } = await import('../datastore/etcd-shim/index.ts')
  const addr = parseListenAddress(listen)
  const tls = addr.loopback ? undefined : await ensureEtcdCerts(pki, etcdServingNames(addr.host))
  const shim = await startEtcdShim(
    store,
    listen,
    // grpc-js checks client certificates against the CA passed here: the client CA (etcdctl checks the
    // server against the server CA)
    tls && { clientCaPem: pki.clientCa.certPem, ...tls.serving },
  )
  components.add('etcd API', () => shim.close())
  if (tls) {
    const f = (name: string) => join(pki.dir, name)
    log.info(
      `etcd API serves TLS with client certificates: etcdctl --endpoints https://${shim.address} --cacert ${f('server-ca.crt')} --cert ${f('etcd-client.crt')} --key ${f('etcd-client.key')}`,
    )
  }
  return shim
}

/** SANs of the etcd serving certificate: the listen host; for a wildcard, every address of this host. */
function etcdServingNames(host: string): { dns: string[]; ips: string[] } {
  if (host === '0.0.0.0' || host === '::') return { dns: ['localhost'], ips: ['127.0.0.1', ...hostIpv4s()] }
  return isIP(host) ? { dns: [], ips: [host] } : { dns: [host], ips: [] }
}

async function startApiServer(store: Backend, config: Resolved, components: Components) {
  const admission = quotaAdmission(podAdmissionStrategies(config.defaultUnreachableTolerationSeconds))
  const api = await startApi(store, {
    dataDir: config.dataDir,
    bindAddress: config.bindAddress,
    port: config.httpsListenPort,
    kubeconfigPath: config.writeKubeconfig,
    kubeconfigMode: Number.parseInt(String(config.writeKubeconfigMode), 8),
    tlsSan: config.tlsSan,
    advertiseAddress: config.advertiseAddress,
    nodeIp: config.nodeIp,
    serviceCidr: config.serviceCidr,
    nodePortRange: config.serviceNodePortRange,
    token: config.token,
    strategies: admission.strategies,
  })
  admission.attach(api)
  components.add('API server', () => api.stop())
  return api
}

const sharedDatastore = (config: Resolved) => !/^(sqlite|memory):/i.test(config.datastoreEndpoint ?? 'sqlite:')

/** kube-controller-manager and kube-scheduler: they run once this server holds the leader Lease. */
async function startControllerManager(api: ApiStep, config: Resolved, components: Components): Promise<void> {
  const client = inProcessClient({ storage: api.storage, registry: api.registry })
  const cm = startControllers({
    client,
    resources: () => api.registry.all(),
    clusterCidr: config.clusterCidr,
    nodeMonitorGracePeriodMs: parseDuration(config.nodeMonitorGracePeriod),
    terminatedPodGcThreshold: Number(config.terminatedPodGcThreshold ?? 12500),
    rootCaPem: api.pki.serverCa.certPem,
    apiEndpoint: { address: config.advertiseAddress as string, port: api.port },
    // A sqlite:// or memory:// store is locked to this one process, so no second server can share it:
    // skip the leader Lease, whose renewal every 2 s would be most of an idle server's disk writes.
    leaderElection: sharedDatastore(config) ? undefined : false,
  })
  components.add('controllers', () => cm.stop())
}

/** The in-process agent: joins this server over HTTPS with its own node-token, exactly as a remote
 * `kubun agent` would, and runs in the background so the API serves while Docker and the network come
 * up. A failed start (Docker unreachable, network set-up) stops the server with that step's error. */
function startLocalAgent(config: Resolved, port: number, components: Components): void {
  if (config.disableAgent) return
  const abort = new AbortController()
  const host = ['0.0.0.0', '::', ''].includes(config.bindAddress ?? '') ? '127.0.0.1' : config.bindAddress
  let stopAgent: (() => Promise<void>) | undefined
  components.add('agent', async () => {
    abort.abort()
    await stopAgent?.()
  })
  void (async () => {
    const { startAgent } = await import('../agent/index.ts')
    const token = readFileSync(join(config.dataDir, 'server', 'node-token'), 'utf8').trim()
    const agent = await startAgent(
      {
        server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
        token,
        dataDir: config.dataDir,
        nodeName: config.nodeName,
        nodeIp: config.nodeIp,
        nodeLabel: config.nodeLabel,
        nodeTaint: config.nodeTaint,
        dockerSocket: config.dockerSocket,
        clusterCidr: config.clusterCidr,
        serviceCidr: config.serviceCidr,
        clusterDns: config.clusterDns,
        clusterDomain: config.clusterDomain,
        controlPlane: true,
      },
      abort.signal,
    )
    stopAgent = agent.stop
  })().catch((err) => {
    if (abort.signal.aborted) return
    log.error(`the local agent failed: ${(err as Error).message}; fix it or run with --disable-agent`)
    process.exit(1)
  })
}

/** Runs `fn`; a failure is rethrown as "<what>: <cause>" so the user sees which step failed. */
async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof UsageError) throw err
    const e = new Error(`${what}: ${(err as Error).message ?? err}`)
    e.cause = err
    throw e
  }
}

/** Started components, stopped in reverse start order. */
class Components {
  private readonly stops: { name: string; stop: () => Promise<void> }[] = []

  add(name: string, stop: () => Promise<void>): void {
    this.stops.push({ name, stop })
  }

  async stopAll(): Promise<void> {
    for (const { name, stop } of this.stops.reverse()) {
      try {
        await stop()
      } catch (err) {
        log.error(`stopping the ${name} failed`, { err })
      }
    }
    this.stops.length = 0
  }

  /** Resolves after SIGTERM or SIGINT has stopped everything; a second signal exits at once. */
  stopOnSignal(): Promise<void> {
    return new Promise((resolve) => {
      let stopping = false
      const onSignal = (signal: NodeJS.Signals) => {
        if (stopping) process.exit(1)
        stopping = true
        log.info('shutting down', { signal })
        this.stopAll().then(() => {
          process.off('SIGTERM', onSignal)
          process.off('SIGINT', onSignal)
          resolve()
        })
      }
      process.on('SIGTERM', onSignal)
      process.on('SIGINT', onSignal)
    })
  }
}
