// The pod status a kubelet reports, from the runtime's view (pkg/kubelet/status generateAPIPodStatus):
// phase, podIP(s), hostIP(s), startTime, container statuses and the PodScheduled / Initialized /
// ContainersReady / Ready conditions. Ready also needs every readiness gate's condition True (set by
// someone else), so conditions we do not own are left to the strategic-merge patch.
import type { Pod, PodCondition } from 'kubernetes-types/core/v1'
import type { RuntimePodStatus } from './fake-runtime.ts'

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

export function podStatus(pod: Pod, rt: RuntimePodStatus, hostIP: string, now: number): Record<string, unknown> {
  const containersReady = rt.phase === 'Running' && rt.containerStatuses.every((c) => c.ready)
  const gates = (pod.spec?.readinessGates ?? []).map((g) => g.conditionType)
  const current = pod.status?.conditions ?? []
  const gatesTrue = gates.every((t) => current.find((c) => c.type === t)?.status === 'True')
  const ready = containersReady && gatesTrue
  const cond = (type: string, ok: boolean, reason?: string, message?: string): PodCondition => {
    const old = current.find((c) => c.type === type)
    const status = ok ? 'True' : 'False'
    return {
      type,
      status,
      lastProbeTime: null as unknown as undefined,
      lastTransitionTime: old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(now),
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
    }
  }
  const notReadyReason =
    rt.phase === 'Running' ? (containersReady ? 'ReadinessGatesNotReady' : 'ContainersNotReady') : 'PodCompleted'
  // as generateContainersReadyCondition: the unready containers (in CrashLoopBackOff, say) by name
  const unready = rt.containerStatuses.filter((c) => !c.ready).map((c) => c.name)
  const containersMsg =
    rt.phase === 'Running' && !containersReady ? `containers with unready status: [${unready.join(' ')}]` : undefined
  const notReadyMsg = containersReady
    ? `corresponding condition of pod readiness gate "${gates.find((t) => current.find((c) => c.type === t)?.status !== 'True')}" does not exist.`
    : containersMsg
  return {
    phase: rt.phase,
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP: rt.podIP,
    podIPs: [{ ip: rt.podIP }],
    startTime: pod.status?.startTime ?? rfc3339(rt.startedAt),
    conditions: [
      cond('PodReadyToStartContainers', rt.phase === 'Running'),
      cond('Initialized', true, rt.phase === 'Running' ? undefined : 'PodCompleted'),
      cond('ContainersReady', containersReady, containersReady ? undefined : notReadyReason, containersMsg),
      cond('Ready', ready, ready ? undefined : notReadyReason, ready ? undefined : notReadyMsg),
      cond('PodScheduled', true),
    ],
    containerStatuses: rt.containerStatuses,
    ...(rt.initContainerStatuses.length ? { initContainerStatuses: rt.initContainerStatuses } : {}),
  }
}
