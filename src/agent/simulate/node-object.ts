// The Node and Lease objects a simulated node registers and renews, as a kubelet writes them.
import type { Node, Taint } from 'kubernetes-types/core/v1'
import { KUBE_VERSION } from '../../server/api/http/version.ts'

export interface SimNodeSpec {
  name: string
  cpu: string
  memory: string
  maxPods: number
  labels: Record<string, string>
  taints: Taint[]
  /** a made-up InternalIP (simulated nodes have no address of their own) */
  internalIP: string
}

/** the server's own version, as a real agent reports it (kubectl get nodes shows no skew), marked simulated */
export const KUBELET_VERSION = `v${KUBE_VERSION.major}.${KUBE_VERSION.minor}.${KUBE_VERSION.patch}+kubun-sim`
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
const micro = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')

/** `key=value:Effect` or `key:Effect` (kubelet --register-with-taints). */
export function parseTaint(text: string): Taint {
  const m = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(text.trim())
  if (!m)
    throw new Error(
      `invalid --node-taint "${text}": use key=value:Effect with Effect NoSchedule, PreferNoSchedule or NoExecute`,
    )
  return { key: m[1], ...(m[2] ? { value: m[2] } : {}), effect: m[3] }
}

/** `key=value` (kubelet --node-labels). */
export function parseLabel(text: string): [string, string] {
  const i = text.indexOf('=')
  if (i <= 0) throw new Error(`invalid --node-label "${text}": use key=value`)
  return [text.slice(0, i), text.slice(i + 1)]
}

export function readyConditions(now: number, since = now) {
  const c = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: rfc3339(now),
    lastTransitionTime: rfc3339(since),
  })
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ]
}

export function nodeStatus(s: SimNodeSpec, now: number) {
  const resources = { cpu: s.cpu, memory: s.memory, pods: String(s.maxPods), 'ephemeral-storage': '100Gi' }
  return {
    capacity: resources,
    allocatable: resources,
    conditions: readyConditions(now),
    addresses: [
      { type: 'InternalIP', address: s.internalIP },
      { type: 'Hostname', address: s.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: s.name,
      systemUUID: s.name,
      bootID: s.name,
      kernelVersion: 'simulated',
      osImage: 'kubun simulated node',
      containerRuntimeVersion: 'fake://0.1.0',
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  }
}

export function nodeObject(s: SimNodeSpec, now: number): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: s.name,
      labels: {
        'kubernetes.io/hostname': s.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        ...s.labels,
      },
      annotations: { 'kubun.io/simulated': 'true', 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: s.taints.length ? { taints: s.taints } : {},
    status: nodeStatus(s, now) as Node['status'],
  }
}

export function leaseObject(node: string, nodeUid: string | undefined, durationSeconds: number, now: number) {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: node,
      namespace: 'kube-node-lease',
      ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, uid: nodeUid }] } : {}),
    },
    spec: { holderIdentity: node, leaseDurationSeconds: durationSeconds, renewTime: micro(now) },
  }
}

export const renewTime = micro
