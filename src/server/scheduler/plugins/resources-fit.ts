// NodeResourcesFit: requests against allocatable minus what the node's pods request (filter); the
// LeastAllocated strategy (score, weight 1) and NodeResourcesBalancedAllocation (score, weight 1) on
// cpu and memory with upstream's non-zero request defaults.
import { nonZeroRequests, podRequests } from '../resources.ts'
import type { NodeInfo, Plugin, Resources } from '../types.ts'
import { MAX_NODE_SCORE } from '../types.ts'

/** Upstream's insufficient-resource reasons, in its order: pods, cpu, memory, ephemeral-storage, scalars. */
export function insufficientResources(req: Resources, info: NodeInfo): string[] {
  const out: string[] = []
  const alloc = info.allocatable
  const used = info.requested
  if (used.pods + 1 > alloc.pods) out.push('Too many pods')
  if (req.cpu > 0 && req.cpu > alloc.cpu - used.cpu) out.push('Insufficient cpu')
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) out.push('Insufficient memory')
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage)
    out.push('Insufficient ephemeral-storage')
  if (req.scalar)
    for (const name in req.scalar) {
      const v = req.scalar[name]
      if (v > 0 && v > (alloc.scalar?.[name] ?? 0) - (used.scalar?.[name] ?? 0)) out.push(`Insufficient ${name}`)
    }
  return out
}

interface FitState {
  req: Resources
  nz: { cpu: number; memory: number }
}

export const resourcesFit: Plugin<FitState> = {
  name: 'NodeResourcesFit',
  weight: 1,
  prepare: (pod) => ({ req: podRequests(pod), nz: nonZeroRequests(pod) }),
  filter(_pod, info, { req }) {
    const reasons = insufficientResources(req, info)
    return reasons.length ? { reasons, resolvable: true } : undefined
  },
  score(_pod, info, { nz }) {
    const one = (req: number, alloc: number) =>
      alloc <= 0 || req > alloc ? 0 : ((alloc - req) * MAX_NODE_SCORE) / alloc
    const cpu = one(info.nonZeroRequested.cpu + nz.cpu, info.allocatable.cpu)
    const mem = one(info.nonZeroRequested.memory + nz.memory, info.allocatable.memory)
    return Math.floor((cpu + mem) / 2)
  },
}

export const balancedAllocation: Plugin<{ cpu: number; memory: number }> = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  prepare: (pod) => nonZeroRequests(pod),
  score(_pod, info, nz) {
    const frac = (req: number, alloc: number) => (alloc <= 0 ? 1 : Math.min(1, req / alloc))
    const c = frac(info.nonZeroRequested.cpu + nz.cpu, info.allocatable.cpu)
    const m = frac(info.nonZeroRequested.memory + nz.memory, info.allocatable.memory)
    // two resources: the standard deviation is |c - m| / 2
    return Math.floor((1 - Math.abs(c - m) / 2) * MAX_NODE_SCORE)
  },
}
