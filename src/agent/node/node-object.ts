// The Node a real kubun agent registers and the status it keeps posting, as the kubelet's
// registerWithAPIServer / setNodeStatus: capacity (allocatable the same: no reservations), addresses,
// nodeInfo, labels, taints at registration, conditions and the kubelet endpoint. Pure.
import type { Node, Taint } from 'kubernetes-types/core/v1'
import { KUBE_VERSION } from '../../server/api/http/version.ts'
import { readyConditions } from '../simulate/node-object.ts'
import type { Machine } from './machine.ts'

export const KUBELET_VERSION = `v${KUBE_VERSION.major}.${KUBE_VERSION.minor}.${KUBE_VERSION.patch}+kubun`
export const MAX_PODS = 110

export interface NodeSpecInput {
  name: string
  machine: Machine
  nodeIP: string
  runtimeVersion: string
  labels: Record<string, string>
  taints: Taint[]
  controlPlane: boolean
}

export function nodeLabels(i: NodeSpecInput): Record<string, string> {
  return {
    'kubernetes.io/hostname': i.name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': i.machine.arch,
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': i.machine.arch,
    ...(i.controlPlane
      ? { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true' }
      : {}),
    ...i.labels,
  }
}

/** Ready False (KubeletNotReady, with why) while the runtime is unhealthy, as the kubelet reports it. */
export function nodeConditions(now: number, since: number, notReady?: string) {
  const conds = readyConditions(now, since) as NonNullable<NonNullable<Node['status']>['conditions']>
  if (!notReady) return conds
  return conds.map((c) =>
    c.type === 'Ready' ? { ...c, status: 'False', reason: 'KubeletNotReady', message: notReady } : c,
  )
}

export function nodeStatus(i: NodeSpecInput, now: number, since?: number, notReady?: string): Node['status'] {
  const m = i.machine
  const resources = {
    cpu: String(m.cpus),
    memory: `${Math.floor(m.memoryBytes / 1024)}Ki`,
    pods: String(MAX_PODS),
    'ephemeral-storage': `${Math.floor(m.ephemeralStorageBytes / 1024)}Ki`,
  }
  return {
    capacity: resources,
    allocatable: resources,
    conditions: nodeConditions(now, since ?? now, notReady),
    addresses: [
      { type: 'InternalIP', address: i.nodeIP },
      { type: 'Hostname', address: m.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: m.machineID,
      systemUUID: m.machineID,
      bootID: m.bootID,
      kernelVersion: m.kernelVersion,
      osImage: m.osImage,
      containerRuntimeVersion: i.runtimeVersion,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: m.arch,
    },
  }
}

export function nodeObject(i: NodeSpecInput, now: number): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: i.name,
      labels: nodeLabels(i),
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'kubun.io/node-ip': i.nodeIP },
    },
    spec: i.taints.length ? { taints: i.taints } : {},
    status: nodeStatus(i, now),
  }
}
