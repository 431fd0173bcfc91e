// The scheduler's view of the cluster: plain API objects plus per-node aggregates (upstream NodeInfo).
import type { Node, Pod } from 'kubernetes-types/core/v1'

export type {
  Node,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  Pod,
  PodAffinityTerm,
  Taint,
  Toleration,
  TopologySpreadConstraint,
} from 'kubernetes-types/core/v1'

/** cpu in millicores, memory and ephemeral-storage in bytes, pods as a count */
export interface Resources {
  cpu: number
  memory: number
  pods: number
  ephemeralStorage: number
  /** extended resources (nvidia.com/gpu, hugepages-2Mi, ...) by name */
  scalar?: Record<string, number>
}

export interface NodeInfo {
  node: Node
  /** pods on the node (bound or assumed), by uid */
  pods: Map<string, Pod>
  allocatable: Resources
  /** sum of the pods' requests */
  requested: Resources
  /** requests with upstream's non-zero defaults (100m cpu, 200Mi memory), for scoring */
  nonZeroRequested: { cpu: number; memory: number }
  /** `protocol/hostIP/port` of host ports in use */
  usedPorts: Set<string>
}

/** Why a node does not fit. `resolvable` = preemption might help (upstream Unschedulable vs UnschedulableAndUnresolvable). */
export interface FilterFailure {
  reasons: string[]
  resolvable: boolean
  /** failed in PreFilter (the same for every node): upstream names it once, without a node count */
  preFilter?: boolean
}

/** Read access by key (a Map or an informer's cache). */
export interface Lookup {
  get(key: string): any
}

/** Cluster-wide facts filters and scores need besides the node itself. */
export interface ClusterView {
  nodes: NodeInfo[]
  /** pods with any pod (anti-)affinity, with the node they are on (upstream HavePodsWithAffinityList) */
  podsWithAffinity: { pod: Pod; node: NodeInfo }[]
  /** PVCs by `namespace/name`, PVs and StorageClasses by name (volume binding and node affinity) */
  pvcs?: Lookup
  pvs?: Lookup
  storageClasses?: Lookup
}

/** A scheduling plugin in upstream's framework terms: prepare = PreFilter/PreScore (undefined = nothing
 * to check for this pod), filter = Filter, score + normalize = Score/NormalizeScore (0..100 after). */
export interface Plugin<S = any> {
  name: string
  /** upstream's default score weight */
  weight?: number
  prepare?(pod: Pod, view: ClusterView): S | undefined
  filter?(pod: Pod, node: NodeInfo, state: S, view: ClusterView): FilterFailure | undefined
  score?(pod: Pod, node: NodeInfo, state: S, view: ClusterView): number
  normalize?(scores: number[]): void
}

export const MAX_NODE_SCORE = 100

export const zeroResources = (): Resources => ({ cpu: 0, memory: 0, pods: 0, ephemeralStorage: 0 })
