// Pod requests as upstream computes them (resource helpers in k8s.io/component-helpers): the sum of
// app containers (plus restartable init "sidecars"), raised to the largest init container, plus overhead.
import type { Container } from 'kubernetes-types/core/v1'
import { resourceAmount } from './quantity.ts'
import type { Node, Pod, Resources } from './types.ts'
import { zeroResources } from './types.ts'

/** upstream's DefaultMilliCPURequest / DefaultMemoryRequest, used only for scoring */
export const DEFAULT_MILLI_CPU = 100
export const DEFAULT_MEMORY = 200 * 1024 * 1024

function add(into: Resources, list: Record<string, string | number> | undefined): void {
  for (const [name, q] of Object.entries(list ?? {})) {
    const v = resourceAmount(name, q as string)
    if (name === 'cpu') into.cpu += v
    else if (name === 'memory') into.memory += v
    else if (name === 'ephemeral-storage') into.ephemeralStorage += v
    else if (name !== 'pods') into.scalar = { ...into.scalar, [name]: (into.scalar?.[name] ?? 0) + v }
  }
}

function maxInto(into: Resources, r: Resources): void {
  into.cpu = Math.max(into.cpu, r.cpu)
  into.memory = Math.max(into.memory, r.memory)
  into.ephemeralStorage = Math.max(into.ephemeralStorage, r.ephemeralStorage)
  for (const [k, v] of Object.entries(r.scalar ?? {}))
    into.scalar = { ...into.scalar, [k]: Math.max(into.scalar?.[k] ?? 0, v) }
}

const requestsOf = (c: Container) => (c.resources?.requests ?? {}) as Record<string, string>

/** What the pod asks for, pods = 1. */
export function podRequests(pod: Pod): Resources {
  const sum = zeroResources()
  for (const c of pod.spec?.containers ?? []) add(sum, requestsOf(c))
  // sidecars (restartPolicy Always init containers) run alongside the app containers
  const sidecars = zeroResources()
  for (const c of pod.spec?.initContainers ?? []) {
    if (c.restartPolicy === 'Always') {
      add(sum, requestsOf(c))
      add(sidecars, requestsOf(c))
      continue
    }
    const one = zeroResources()
    add(one, requestsOf(c))
    add(one, sidecars as unknown as Record<string, number>)
    maxInto(sum, one)
  }
  add(sum, pod.spec?.overhead as Record<string, string> | undefined)
  sum.pods = 1
  return sum
}

/** Requests with non-zero defaults per container, as upstream's scoring (GetNonzeroRequests). */
export function nonZeroRequests(pod: Pod): { cpu: number; memory: number } {
  let cpu = 0
  let memory = 0
  for (const c of pod.spec?.containers ?? []) {
    const r = requestsOf(c)
    cpu += r.cpu !== undefined ? resourceAmount('cpu', r.cpu) : DEFAULT_MILLI_CPU
    memory += r.memory !== undefined ? resourceAmount('memory', r.memory) : DEFAULT_MEMORY
  }
  return { cpu, memory }
}

export function nodeAllocatable(node: Node): Resources {
  const r = zeroResources()
  const alloc = (node.status?.allocatable ?? node.status?.capacity ?? {}) as Record<string, string>
  add(r, alloc)
  r.pods = alloc.pods !== undefined ? resourceAmount('pods', alloc.pods) : 110
  return r
}
