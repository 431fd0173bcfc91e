// Where a pods/log|exec|attach|portforward request goes, decided from the Pod and its Node as
// kube-apiserver's pod REST storage does (pkg/registry/core/pod/strategy.go): the container (defaulted
// when the pod has exactly one), the checks that fail before any connection, and the kubelet URL from
// the Node's address and kubeletEndpoint port. Pure.
import { ApiError, badRequest } from '../../../shared/errors.ts'
import type { KubeObject } from '../../registry/types.ts'

export type PodStream = 'log' | 'exec' | 'attach' | 'portforward'

export const PORT_FORWARD_PROTOCOL = 'SPDY/3.1+portforward.k8s.io'
/** The same protocol under a name WebSocket clients accept: RFC 6455 subprotocols are tokens, and Bun's
 * client (like the ws package) refuses the `/` in kubectl's name, so the API server → kubelet hop uses this. */
export const PORT_FORWARD_HOP_PROTOCOL = 'spdy3.1.portforward.kubun.io'

/** kubectl's subprotocol → the one offered to the kubelet (and back for the 101 answer). */
export const toHop = (p: string) => (p === PORT_FORWARD_PROTOCOL ? PORT_FORWARD_HOP_PROTOCOL : p)
export const fromHop = (p: string) => (p === PORT_FORWARD_HOP_PROTOCOL ? PORT_FORWARD_PROTOCOL : p)

const names = (cs: any[] | undefined): string[] => (cs ?? []).map((c) => c.name)

/** The container named in the query, or the only one; upstream's wording when neither works. */
export function resolveContainer(pod: KubeObject, requested: string | null): string {
  const name = pod.metadata?.name
  const app = names(pod.spec?.containers)
  const init = names(pod.spec?.initContainers)
  const eph = names(pod.spec?.ephemeralContainers)
  if (requested) {
    if ([...app, ...init, ...eph].includes(requested)) return requested
    throw badRequest(`container ${requested} is not valid for pod ${name}`)
  }
  if (app.length === 1) return app[0]
  let msg = `a container name must be specified for pod ${name}, choose one of: [${app.join(' ')}]`
  if (init.length) msg += ` or one of the init containers: [${init.join(' ')}]`
  if (eph.length) msg += ` or one of the ephemeral containers: [${eph.join(' ')}]`
  throw badRequest(msg)
}

function statusOf(pod: KubeObject, container: string): any {
  const s = pod.status ?? {}
  return [
    ...(s.containerStatuses ?? []),
    ...(s.initContainerStatuses ?? []),
    ...(s.ephemeralContainerStatuses ?? []),
  ].find((c: any) => c.name === container)
}

/** Fails early as upstream: unscheduled pod, exec into a finished pod, a container that never started. */
export function checkStreamable(pod: KubeObject, kind: PodStream, container: string, previous: boolean): void {
  const name = pod.metadata?.name
  if (!pod.spec?.nodeName) throw badRequest(`pod ${name} does not have a host assigned`)
  const phase = pod.status?.phase
  if ((kind === 'exec' || kind === 'attach') && (phase === 'Succeeded' || phase === 'Failed'))
    throw badRequest(
      `cannot ${kind === 'exec' ? 'exec into' : 'attach to'} a container in a completed pod; current phase is ${phase}`,
    )
  if (kind === 'portforward' || previous) return
  const st = statusOf(pod, container)
  const waiting = st?.state?.waiting
  // A container that ran before (lastState terminated) still has logs to show while it waits.
  if (waiting && !(kind === 'log' && st?.lastState?.terminated))
    throw badRequest(
      `container "${container}" in pod "${name}" is waiting to start: ${waiting.reason ?? 'ContainerCreating'}`,
    )
  if (!st && kind !== 'log' && phase === 'Pending')
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`)
}

/** https://<InternalIP|ExternalIP|Hostname>:<kubeletEndpoint.Port> (upstream's preferred address types). */
export function kubeletBase(node: KubeObject): string {
  const addrs: { type: string; address: string }[] = node.status?.addresses ?? []
  const pick = ['InternalIP', 'ExternalIP', 'Hostname']
    .map((t) => addrs.find((a) => a.type === t)?.address)
    .find(Boolean)
  const nodeName = node.metadata?.name
  if (!pick)
    throw new ApiError(
      503,
      'ServiceUnavailable',
      `node "${nodeName}" reports no address: is its agent running and registered?`,
    )
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port || 10250
  const host = pick.includes(':') ? `[${pick}]` : pick
  return `https://${host}:${port}`
}

const enc = encodeURIComponent
/** Query parameters each kubelet endpoint reads (the rest, e.g. `container`, is in the path). */
const PASS: Record<PodStream, string[]> = {
  log: ['follow', 'tailLines', 'sinceSeconds', 'sinceTime', 'timestamps', 'previous', 'limitBytes'],
  exec: ['command', 'stdin', 'stdout', 'stderr', 'tty'],
  attach: ['stdin', 'stdout', 'stderr', 'tty'],
  portforward: ['port'],
}

export function kubeletPath(kind: PodStream, ns: string, pod: string, container: string, q: URLSearchParams): string {
  const out = new URLSearchParams()
  for (const k of PASS[kind]) for (const v of q.getAll(k)) out.append(k, v)
  const qs = out.size ? `?${out}` : ''
  switch (kind) {
    case 'log':
      return `/containerLogs/${enc(ns)}/${enc(pod)}/${enc(container)}${qs}`
    case 'portforward':
      return `/portForward/${enc(ns)}/${enc(pod)}${qs}`
    default:
      return `/${kind}/${enc(ns)}/${enc(pod)}/${enc(container)}${qs}`
  }
}
