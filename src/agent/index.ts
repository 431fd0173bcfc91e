// runAgent(): the agent's start-up script, read top to bottom, as k3s's pkg/agent/run.go:
//   join (token, CA pin; retried with back-off) → node registration + lease → runtime (Docker, pause
//   image, air-gap images) → pod network on the node's podCIDR → service proxy → kubelet.
// `kubun agent` runs it on its own; `kubun server` runs the same start-up in-process (joined through
// the same HTTPS path, with the server's node-token) unless --disable-agent. Stopping the agent leaves
// pods running and the network in place, as k3s does; `kubun killall` is the clean-up.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Service, Taint } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import pkg from '../../package.json' with { type: 'json' }
import { PodNetwork } from '../cni/index.ts'
import type { Client } from '../server/client/types.ts'
import { Informer } from '../server/controllers/lib/informer.ts'
import { JoinError, type Joined, joinServer } from '../server/join/index.ts'
import type { KubeObject } from '../server/registry/types.ts'
import { logger } from '../shared/log.ts'
import { clusterSettings } from './cluster-settings.ts'
import { lockHost } from './host-lock.ts'
import { type HostResolv, parseResolvConf } from './kubelet/dns.ts'
import { Kubelet } from './kubelet/kubelet.ts'
import { NodeHeartbeat } from './node/heartbeat.ts'
import { defaultRouteAddress, machineFacts } from './node/machine.ts'
import { informerSource, startProxy } from './proxy/index.ts'
import type { ProxySync } from './proxy/sync.ts'
import { DockerRuntime } from './runtime/docker.ts'
import { ensurePauseImage, importAirgapImages } from './runtime/images.ts'
import { isSandbox } from './runtime/labels.ts'
import { parseLabel, parseTaint } from './simulate/node-object.ts'
import { startKubeletApi } from './streaming/index.ts'

const log = logger('agent')

export interface AgentConfig {
  /** https://HOST:PORT */
  server: string
  token: string
  dataDir: string
  nodeName?: string
  nodeIp?: string
  nodeLabel?: string[]
  nodeTaint?: string[]
  dockerSocket?: string
  clusterCidr?: string
  serviceCidr?: string
  clusterDns?: string
  clusterDomain?: string
  /** the in-process agent of a server: labelled node-role.kubernetes.io/control-plane */
  controlPlane?: boolean
}

export interface RunningAgent {
  nodeName: string
  client: Client
  runtime: DockerRuntime
  kubelet: Kubelet
  /** stops following the API; containers, routes and nft rules stay */
  stop(): Promise<void>
}

/** Starts every agent component; resolves once the kubelet runs. */
export async function startAgent(config: AgentConfig, signal?: AbortSignal): Promise<RunningAgent> {
  const stops: (() => void | Promise<void>)[] = []
  const stop = async () => {
    for (const s of stops.reverse()) await s()
  }
  try {
    stops.push(lockHost())
    const dataDir = config.dataDir
    const machine = machineFacts(dataDir)
    const nodeName = (config.nodeName || machine.hostname).toLowerCase()
    const nodeIp = config.nodeIp || defaultRouteAddress() || '127.0.0.1'

    const runtime = new DockerRuntime(config.dockerSocket)
    const runtimeVersion = await step('connecting to Docker', async () => (await runtime.version()).version)

    const joined = await step('joining the server', () => joinWithRetry(config, nodeName, nodeIp, signal))
    const client = joined.client

    const heartbeat = new NodeHeartbeat(
      client,
      {
        name: nodeName,
        machine,
        nodeIP: nodeIp,
        runtimeVersion: `docker://${runtimeVersion}`,
        labels: Object.fromEntries((config.nodeLabel ?? []).map(parseLabel)),
        taints: (config.nodeTaint ?? []).map(parseTaint) as Taint[],
        controlPlane: !!config.controlPlane,
      },
      {
        health: () =>
          runtime.version().then(
            () => undefined,
            (e) => `container runtime is down: ${(e as Error).message}`,
          ),
      },
    )
    await step('registering the node', () => heartbeat.register())
    heartbeat.start()
    stops.push(() => heartbeat.stop())
    const podCidr = await step('waiting for the node podCIDR', () => heartbeat.waitForPodCidr(signal))

    const pauseImage = await step('preparing images', async () => {
      await importAirgapImages(runtime, join(dataDir, 'agent', 'images'))
      return ensurePauseImage(runtime)
    })

    // in-process config wins, then what the server sent with the node certificate (as k3s agents)
    const cluster = clusterSettings(config, joined.cluster)
    const { clusterCidr, serviceCidr } = cluster
    const network = await step('setting up the pod network', async () => {
      const net = await PodNetwork.setup({ dataDir, podCidr, clusterCidr, serviceCidr })
      const sandboxes = (await runtime.list()).filter(isSandbox)
      await net.reconcile(sandboxes.map((s) => s.id))
      return net
    })

    const proxy = await step('starting the service proxy', () =>
      startServiceProxy(client, { name: nodeName, ips: [nodeIp] }, clusterCidr, serviceCidr, stops),
    )
    stops.push(() => proxy.stop())

    const kubelet = new Kubelet({
      client,
      runtime,
      network,
      nodeName,
      nodeIPs: [nodeIp],
      dataDir,
      pauseImage,
      clusterDns: { servers: [cluster.clusterDns], domain: cluster.clusterDomain },
      hostResolv: hostResolv(),
      allocatable: { cpu: machine.cpus, memory: machine.memoryBytes },
      manifestDir: join(dataDir, 'agent', 'pod-manifests'),
    })
    await step('starting the kubelet', () => kubelet.start())
    stops.push(() => kubelet.stop())

    // logs/exec/attach/port-forward for the API server; a busy port costs those, not the node.
    const podIp = (ns: string, name: string) => {
      const w = kubelet.podWorkers().find((p) => p.pod.metadata?.namespace === ns && p.pod.metadata?.name === name)
      return w?.pod.spec?.hostNetwork ? nodeIp : w?.podIP
    }
    const kubeletApi = await startKubeletApi({ joined, runtime, nodeName, podIp }).catch((e) => {
      log.error(`kubelet API not started (kubectl logs/exec/port-forward will fail for this node): ${e.message}`)
      return undefined
    })
    if (kubeletApi) stops.push(() => kubeletApi.stop())
    log.info('agent ready', { node: nodeName, nodeIP: nodeIp, podCIDR: podCidr, docker: runtimeVersion })
    return { nodeName, client, runtime, kubelet, stop }
  } catch (e) {
    await stop()
    throw e
  }
}

/** `kubun agent`: start, then run until SIGTERM/SIGINT; pods keep running after exit. */
export async function runAgent(config: AgentConfig): Promise<void> {
  const abort = new AbortController()
  const onSignal = () => abort.abort()
  process.once('SIGTERM', onSignal)
  process.once('SIGINT', onSignal)
  let agent: RunningAgent
  try {
    agent = await startAgent(config, abort.signal)
  } catch (e) {
    // SIGTERM while still joining or waiting: a normal stop, not a failure
    if (abort.signal.aborted) process.exit(0)
    throw e
  }
  if (!abort.signal.aborted) await new Promise((r) => abort.signal.addEventListener('abort', r, { once: true }))
  log.info('agent stopping; pods keep running (kubun killall stops them)')
  await agent.stop()
  process.exit(0)
}

/** Join errors (wrong token or CA hash, unreachable server) are one clear line and a retry with
 * back-off (1 s doubling to 30 s), never a crash loop without explanation. */
async function joinWithRetry(
  config: AgentConfig,
  nodeName: string,
  nodeIp: string,
  signal?: AbortSignal,
): Promise<Joined> {
  let delay = 1000
  for (;;) {
    try {
      const joined = await joinServer({
        server: config.server,
        token: config.token,
        nodeName,
        dataDir: config.dataDir,
        userAgent: `kubun-agent/v${pkg.version} (${nodeName})`,
        servingIps: [nodeIp],
      })
      return joined
    } catch (e) {
      if (!(e instanceof JoinError)) throw e
      log.error(`${e.message}; retrying in ${delay / 1000}s`)
    }
    if (signal?.aborted) throw new Error('stopped before joining the server')
    await abortableSleep(delay, signal)
    delay = Math.min(delay * 2, 30_000)
  }
}

async function startServiceProxy(
  client: Client,
  node: { name: string; ips: string[] },
  clusterCidr: string,
  serviceCidr: string,
  stops: (() => void)[],
): Promise<ProxySync> {
  const services = new Informer<Service & KubeObject>(client, { group: '', version: 'v1', resource: 'services' })
  const slices = new Informer<EndpointSlice & KubeObject>(client, {
    group: 'discovery.k8s.io',
    version: 'v1',
    resource: 'endpointslices',
  })
  // Handlers go on before the informers start, so no event falls between the first list and them.
  const source = informerSource(services, slices)
  for (const inf of [services, slices]) {
    inf.start()
    stops.push(() => inf.stop())
  }
  await Promise.all([services.hasSynced, slices.hasSynced])
  return startProxy({ source, node, clusterCidr, serviceCidr })
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t)
        resolve()
      },
      { once: true },
    )
  })
}

function hostResolv(): HostResolv {
  try {
    return parseResolvConf(readFileSync('/etc/resolv.conf', 'utf8'))
  } catch {
    return { nameservers: [], searches: [], options: [] }
  }
}

/** Runs `fn`; a failure is rethrown as "<what>: <cause>" so the user sees which step failed. */
async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    const e = new Error(`${what}: ${(err as Error).message ?? err}`)
    e.cause = err
    throw e
  }
}
