import { expect, test } from 'bun:test'
import { planPodGc } from './pod-gc.ts'

const pod = (name: string, o: { phase?: string; node?: string; created?: string; deleting?: boolean } = {}) => ({
  metadata: {
    name,
    creationTimestamp: o.created ?? '2026-01-01T00:00:00Z',
    ...(o.deleting ? { deletionTimestamp: 'x' } : {}),
  },
  spec: o.node ? { nodeName: o.node } : {},
  status: { phase: o.phase ?? 'Running' },
})

test.each([
  {
    name: 'terminated pods beyond the threshold, oldest first',
    pods: [
      pod('old', { phase: 'Succeeded', node: 'n', created: '2026-01-01T00:00:00Z' }),
      pod('new', { phase: 'Failed', node: 'n', created: '2026-01-02T00:00:00Z' }),
      pod('running', { node: 'n' }),
    ],
    gone: [] as string[],
    threshold: 1,
    want: ['old'],
  },
  {
    name: 'pods on a node gone past quarantine',
    pods: [pod('a', { node: 'gone' }), pod('b', { node: 'n' })],
    gone: ['gone'],
    threshold: 10,
    want: ['a'],
  },
  {
    name: 'unscheduled terminating pods',
    pods: [pod('a', { deleting: true }), pod('b')],
    gone: [],
    threshold: 10,
    want: ['a'],
  },
])('$name', ({ pods, gone, threshold, want }) => {
  expect(planPodGc([...pods] as any[], new Set(gone), threshold).map((p) => p.metadata?.name)).toEqual([...want])
})
