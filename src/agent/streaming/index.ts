// The kubelet API of a node, as the agent starts it after joining:
//   const joined = await joinServer({ server, token, nodeName, dataDir, servingIps: [nodeIp] })
//   const api = await startKubeletApi({ joined, runtime: dockerRuntime, podIp: (ns, pod) => ipOf(ns, pod) })
//   ... api.port goes into Node status.daemonEndpoints.kubeletEndpoint.Port; api.stop() at shutdown
import type { Joined } from '../../server/join/join-server.ts'
import type { TlsFront } from '../../server/tls/front.ts'
import type { DockerRuntime } from '../runtime/docker.ts'
import { DockerStreaming } from '../runtime/docker-streaming.ts'
import { startKubeletServer } from './server.ts'

export type { StreamingRuntime } from './runtime.ts'
export { type KubeletServerOptions, mayStream, startKubeletServer } from './server.ts'

export interface KubeletApiOptions {
  joined: Pick<Joined, 'kubeletServing' | 'clientCaPem'>
  runtime: DockerRuntime
  /** only this node's containers (io.kubun.node) when several nodes share a Docker daemon */
  nodeName?: string
  /** the pod IP the kubelet assigned (CNI); without it, the IP Docker knows for the pod's containers */
  podIp?(namespace: string, pod: string): string | undefined
  /** default 0.0.0.0:10250 */
  host?: string
  port?: number
}

export async function startKubeletApi(o: KubeletApiOptions): Promise<TlsFront> {
  const { kubeletServing, clientCaPem } = o.joined
  if (!kubeletServing || !clientCaPem)
    throw new Error('the server gave no kubelet serving certificate at join: upgrade the server (kubun server) first')
  return startKubeletServer({
    host: o.host,
    port: o.port,
    serving: kubeletServing,
    clientCaPem,
    runtime: new DockerStreaming(o.runtime, { podIp: o.podIp, nodeName: o.nodeName }),
  })
}
