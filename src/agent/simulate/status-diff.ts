// Whether a computed pod status says something the stored one does not: phase, IPs, the conditions we
// own, and each container's readiness, restarts and state. Our own writes coming back through the watch
// then cost nothing.

const OWN = ['Initialized', 'ContainersReady', 'Ready', 'PodScheduled', 'PodReadyToStartContainers']

const condMap = (s: any) => new Map<string, string>((s?.conditions ?? []).map((c: any) => [c.type, c.status]))
const containers = (list: any[] | undefined) =>
  (list ?? []).map((c) => `${c.name}:${c.ready}:${c.restartCount}:${Object.keys(c.state ?? {})[0] ?? ''}`).join(',')

export function statusDiffers(cur: Record<string, any> | undefined, want: Record<string, any>): boolean {
  if (!cur) return true
  if (cur.phase !== want.phase || cur.podIP !== want.podIP || cur.hostIP !== want.hostIP) return true
  const a = condMap(cur)
  const b = condMap(want)
  for (const t of OWN) if (a.get(t) !== b.get(t)) return true
  return (
    containers(cur.containerStatuses) !== containers(want.containerStatuses) ||
    containers(cur.initContainerStatuses) !== containers(want.initContainerStatuses)
  )
}
