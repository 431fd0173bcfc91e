// Which pods back a Service, on which ports, in what state (upstream endpointslice and endpoints
// controllers): ready = publishNotReadyAddresses || (serving && !terminating), serving = the pod's
// Ready condition, terminating = deletionTimestamp set. Named targetPorts resolve per pod, so pods
// with different port numbers land in different groups (slices / subsets).
import type { KubeObject } from '../registry/types.ts'
import { mapSelectorMatches } from './lib/label-selector.ts'
import { isPodReady, isTerminal, type Pod } from './lib/pods.ts'

export interface EndpointPort {
  name?: string
  port: number
  protocol: string
  appProtocol?: string
}

export interface PodEndpoint {
  pod: Pod
  ip: string
  ready: boolean
  serving: boolean
  terminating: boolean
  hostname?: string
  nodeName?: string
}

export interface EndpointGroup {
  ports: EndpointPort[]
  endpoints: PodEndpoint[]
}

/** Services the endpoint controllers manage: a selector, and not ExternalName. */
export const managesEndpoints = (svc: KubeObject) =>
  svc.spec?.type !== 'ExternalName' && !!svc.spec?.selector && Object.keys(svc.spec.selector).length > 0

export function selectsPod(svc: KubeObject, pod: Pod): boolean {
  return (
    pod.metadata?.namespace === svc.metadata?.namespace && mapSelectorMatches(svc.spec?.selector, pod.metadata?.labels)
  )
}

/** The ports of `svc` as `pod` serves them; a named targetPort the pod lacks drops that port (podutil.FindPort). */
export function portsFor(svc: KubeObject, pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = []
  for (const sp of svc.spec?.ports ?? []) {
    const protocol = sp.protocol ?? 'TCP'
    const target = sp.targetPort ?? sp.port
    let port: number | undefined
    if (typeof target === 'number') port = target
    else if (/^\d+$/.test(target)) port = Number(target)
    else {
      for (const c of pod.spec?.containers ?? [])
        for (const cp of c.ports ?? [])
          if (cp.name === target && (cp.protocol ?? 'TCP') === protocol) port ??= cp.containerPort
    }
    if (port === undefined) continue
    out.push({
      ...(sp.name ? { name: sp.name } : {}),
      port,
      protocol,
      ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}),
    })
  }
  return out
}

/** Endpoint groups for a Service: `includeTerminating` is true for slices, and for Endpoints only
 * with publishNotReadyAddresses (ShouldPodBeInEndpoints). */
export function endpointGroups(svc: KubeObject, pods: Pod[], includeTerminating: boolean): EndpointGroup[] {
  const publish = !!svc.spec?.publishNotReadyAddresses
  const groups = new Map<string, EndpointGroup>()
  const sorted = [...pods].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
  for (const pod of sorted) {
    if (!selectsPod(svc, pod) || isTerminal(pod)) continue
    const ip = pod.status?.podIP
    if (!ip) continue
    const terminating = !!pod.metadata?.deletionTimestamp
    if (terminating && !includeTerminating && !publish) continue
    const serving = isPodReady(pod)
    const ports = portsFor(svc, pod)
    const key = JSON.stringify(ports)
    let g = groups.get(key)
    if (!g) groups.set(key, (g = { ports, endpoints: [] }))
    const hostname =
      pod.spec?.hostname && pod.spec?.subdomain === svc.metadata?.name ? (pod.spec.hostname as string) : undefined
    g.endpoints.push({
      pod,
      ip,
      ready: publish || (serving && !terminating),
      serving,
      terminating,
      ...(hostname ? { hostname } : {}),
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    })
  }
  return [...groups.values()].sort((a, b) => JSON.stringify(a.ports).localeCompare(JSON.stringify(b.ports)))
}

const targetRef = (p: Pod) => ({
  kind: 'Pod',
  namespace: p.metadata?.namespace,
  name: p.metadata?.name,
  uid: p.metadata?.uid,
})

/** The core/v1 Endpoints subsets: ready addresses and notReadyAddresses per port group. */
export function endpointsSubsets(svc: KubeObject, pods: Pod[]): KubeObject[] {
  return endpointGroups(svc, pods, false)
    .filter((g) => g.endpoints.length > 0)
    .map((g) => {
      const addr = (e: PodEndpoint) => ({
        ip: e.ip,
        ...(e.hostname ? { hostname: e.hostname } : {}),
        ...(e.nodeName ? { nodeName: e.nodeName } : {}),
        targetRef: targetRef(e.pod),
      })
      const ready = g.endpoints.filter((e) => e.ready).map(addr)
      const notReady = g.endpoints.filter((e) => !e.ready).map(addr)
      return {
        ...(ready.length ? { addresses: ready } : {}),
        ...(notReady.length ? { notReadyAddresses: notReady } : {}),
        ...(g.ports.length ? { ports: g.ports.map(({ appProtocol: _, ...p }) => p) } : {}),
      }
    })
}

/** Max endpoints per EndpointSlice (--max-endpoints-per-slice default). */
export const MAX_PER_SLICE = 100

/** The EndpointSlices' bodies (ports + endpoints) a Service should have; one placeholder when empty. */
export function desiredSlices(svc: KubeObject, pods: Pod[], addressType = 'IPv4'): KubeObject[] {
  const out: KubeObject[] = []
  for (const g of endpointGroups(svc, pods, true)) {
    for (let i = 0; i < g.endpoints.length; i += MAX_PER_SLICE) {
      out.push({
        addressType,
        // EndpointPort.name is a *string upstream, always set ("" for an unnamed port): kubectl describe
        // service dereferences it and panics on a slice port without a name
        ports: g.ports.map((p) => ({ name: p.name ?? '', ...p })),
        endpoints: g.endpoints.slice(i, i + MAX_PER_SLICE).map((e) => ({
          addresses: [e.ip],
          conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating },
          ...(e.hostname ? { hostname: e.hostname } : {}),
          targetRef: targetRef(e.pod),
          ...(e.nodeName ? { nodeName: e.nodeName } : {}),
        })),
      })
    }
  }
  if (out.length === 0) out.push({ addressType, endpoints: [] })
  return out
}
