// What a pod worker needs from its kubelet: the API client, the runtime, the pod network, the prober,
// an event recorder and node facts. Built once by the Kubelet; fakes in tests.
import type { Pod } from 'kubernetes-types/core/v1'
import type { HostPort } from '../../cni/index.ts'
import type { Client } from '../../server/client/types.ts'
import type { EventRecorder } from '../../server/controllers/lib/event-recorder.ts'
import type { Runtime, RuntimeContainer } from '../runtime/runtime.ts'
import type { ClusterDns, HostResolv } from './dns.ts'
import type { Prober } from './prober.ts'
import type { Mounter, VolumeSource } from './volumes.ts'

/** The part of src/cni's PodNetwork the kubelet uses. */
export interface PodNetworkPort {
  add(sandboxId: string, netnsPath: string, ifName?: string, opts?: { hostPorts?: HostPort[] }): Promise<{ ip: string }>
  remove(sandboxId: string): Promise<void>
  ipOf(sandboxId: string): string | undefined
}

export interface KubeletContext {
  client: Client
  runtime: Runtime
  network: PodNetworkPort
  prober: Prober
  events: EventRecorder
  nodeName: string
  nodeIPs: string[]
  dataDir: string
  pauseImage: string
  clusterDns: ClusterDns
  hostResolv: HostResolv
  /** node allocatable: cpu in cores, memory in bytes (resourceFieldRef defaults) */
  allocatable: { cpu: number; memory: number }
  mounter: Mounter
  objects: VolumeSource
  /** the runtime's containers of one pod uid, listed after the action numbered `after` */
  observe(uid: string, after: number): Promise<RuntimeContainer[]>
  /** numbers a finished runtime action (see observe) */
  actionDone(): number
  /** static pods (from the manifest folder) have no API object of their own to write */
  isStatic(pod: Pod): boolean
}
