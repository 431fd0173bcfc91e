// Observed-container fixtures for the kubelet's pure tests.
import type { Pod } from 'kubernetes-types/core/v1'
import { containerLabels, sandboxLabels } from '../runtime/labels.ts'
import type { RuntimeContainer } from '../runtime/runtime.ts'

export const ref = { name: 'web', namespace: 'default', uid: 'u1' }
export const NOW = 1_000_000

export function pod(over: Partial<Pod['spec']> = {}, deleting = false): Pod {
  return {
    metadata: { ...ref, ...(deleting ? { deletionTimestamp: 'x' } : {}) },
    spec: { containers: [{ name: 'app', image: 'img' }], ...over },
  }
}

export function sandbox(id: string, attempt: number, state: RuntimeContainer['state'] = 'running'): RuntimeContainer {
  return { id, name: id, labels: sandboxLabels(ref, attempt), image: 'p', imageId: 'p', state, createdAt: attempt }
}

export function ctr(
  id: string,
  name: string,
  o: {
    sb?: string
    count?: number
    state?: RuntimeContainer['state']
    exit?: number
    kind?: 'init' | 'app'
    started?: number
    finished?: number
    hash?: string
  } = {},
): RuntimeContainer {
  const state = o.state ?? 'running'
  return {
    id,
    name: id,
    labels: containerLabels(ref, {
      sandboxId: o.sb ?? 's0',
      name,
      hash: o.hash ?? '',
      restartCount: o.count ?? 0,
      kind: o.kind ?? 'app',
    }),
    image: 'img',
    imageId: 'img',
    state,
    createdAt: o.count ?? 0,
    startedAt: o.started ?? NOW - 100_000,
    finishedAt: state === 'exited' ? (o.finished ?? NOW - 1000) : undefined,
    exitCode: state === 'exited' ? (o.exit ?? 0) : undefined,
  }
}
