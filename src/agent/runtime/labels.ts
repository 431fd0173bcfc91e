// cri-dockerd's container names and labels, so a restarted agent (or `docker ps`) can tell which pod,
// container and attempt every Docker container is: `k8s_POD_<pod>_<ns>_<uid>_<attempt>` for sandboxes,
// `k8s_<container>_<pod>_<ns>_<uid>_<attempt>` for containers.
import type { RuntimeContainer } from './runtime.ts'

export const TYPE_LABEL = 'io.kubernetes.docker.type'
export const SANDBOX_ID_LABEL = 'io.kubernetes.sandbox.id'
export const POD_NAME_LABEL = 'io.kubernetes.pod.name'
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace'
export const POD_UID_LABEL = 'io.kubernetes.pod.uid'
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name'
export const CONTAINER_HASH_LABEL = 'io.kubernetes.container.hash'
export const RESTART_COUNT_LABEL = 'io.kubernetes.container.restartCount'
export const TERMINATION_MESSAGE_PATH_LABEL = 'io.kubernetes.container.terminationMessagePath'
/** kubun's own: `init` or `app` (cri-dockerd keeps this in the container type annotation) */
export const CONTAINER_KIND_LABEL = 'io.kubernetes.container.type'
/** sandbox attempt (cri-dockerd encodes it only in the name) */
export const ATTEMPT_LABEL = 'io.kubun.attempt'

/** kubun's own: the node whose kubelet owns the container (several agents may share one Docker) */
export const NODE_LABEL = 'io.kubun.node'

export const SANDBOX_NAME = 'POD'

export interface PodRef {
  name: string
  namespace: string
  uid: string
}

export function sandboxName(pod: PodRef, attempt: number): string {
  return `k8s_${SANDBOX_NAME}_${pod.name}_${pod.namespace}_${pod.uid}_${attempt}`
}

export function containerName(pod: PodRef, container: string, attempt: number): string {
  return `k8s_${container}_${pod.name}_${pod.namespace}_${pod.uid}_${attempt}`
}

export function sandboxLabels(pod: PodRef, attempt: number, annotations: Record<string, string> = {}, node = '') {
  return {
    ...annotationLabels(annotations),
    ...(node ? { [NODE_LABEL]: node } : {}),
    [TYPE_LABEL]: 'podsandbox',
    [POD_NAME_LABEL]: pod.name,
    [POD_NAMESPACE_LABEL]: pod.namespace,
    [POD_UID_LABEL]: pod.uid,
    [CONTAINER_NAME_LABEL]: SANDBOX_NAME,
    [ATTEMPT_LABEL]: String(attempt),
  }
}

export function containerLabels(
  pod: PodRef,
  o: {
    sandboxId: string
    name: string
    hash: string
    restartCount: number
    kind: 'init' | 'app'
    terminationMessagePath?: string
    node?: string
  },
) {
  return {
    ...(o.node ? { [NODE_LABEL]: o.node } : {}),
    [TYPE_LABEL]: 'container',
    [SANDBOX_ID_LABEL]: o.sandboxId,
    [POD_NAME_LABEL]: pod.name,
    [POD_NAMESPACE_LABEL]: pod.namespace,
    [POD_UID_LABEL]: pod.uid,
    [CONTAINER_NAME_LABEL]: o.name,
    [CONTAINER_HASH_LABEL]: o.hash,
    [RESTART_COUNT_LABEL]: String(o.restartCount),
    [CONTAINER_KIND_LABEL]: o.kind,
    ...(o.terminationMessagePath ? { [TERMINATION_MESSAGE_PATH_LABEL]: o.terminationMessagePath } : {}),
  }
}

function annotationLabels(annotations: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(annotations).map(([k, v]) => [`annotation.${k}`, v]))
}

export const isSandbox = (c: RuntimeContainer) => c.labels[TYPE_LABEL] === 'podsandbox'
export const podUidOf = (c: RuntimeContainer) => c.labels[POD_UID_LABEL]
export const restartCountOf = (c: RuntimeContainer) => Number(c.labels[RESTART_COUNT_LABEL] ?? 0)
export const attemptOf = (c: RuntimeContainer) => Number(c.labels[ATTEMPT_LABEL] ?? 0)
