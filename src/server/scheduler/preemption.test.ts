import { describe, expect, test } from 'bun:test'
import { NOT_HELPFUL } from './failure-message.ts'
import { preparePlugins, runCycle } from './framework.ts'
import { findPreemption } from './preemption.ts'
import { info, node, pod, view } from './testing.ts'
import type { Pod } from './types.ts'

const prio = (p: Pod, n: number) => ({ ...p, spec: { ...p.spec!, priority: n } }) as Pod

describe('preemption', () => {
  test('evicts the fewest lower-priority pods on the cheapest node', () => {
    const n1 = info(node('n1', { cpu: '2' }), [
      prio(pod('low1', {}, { cpu: '1' }), 0),
      prio(pod('low2', {}, { cpu: '1' }), 0),
    ])
    const n2 = info(node('n2', { cpu: '2' }), [prio(pod('mid', {}, { cpu: '2' }), 50)])
    const v = view([n1, n2])
    const p = prio(pod('high', {}, { cpu: '1' }), 100)
    const r = runCycle(p, v)
    expect(r.node).toBeUndefined()
    if (r.node) return
    const out = findPreemption(p, v, r.failures, preparePlugins(p, v))
    expect(out.plan?.node.node.metadata?.name).toBe('n1')
    expect(out.plan?.victims.map((x) => x.metadata?.name)).toHaveLength(1)
  })
  test('never evicts equal or higher priority; unresolvable nodes are not helpful', () => {
    const n1 = info(node('n1', { cpu: '1' }), [prio(pod('same', {}, { cpu: '1' }), 100)])
    const n2 = info(node('n2', { taints: [{ key: 'k', effect: 'NoSchedule' }] }))
    const v = view([n1, n2])
    const p = prio(pod('high', {}, { cpu: '1' }), 100)
    const r = runCycle(p, v)
    if (r.node) throw new Error('should not fit')
    const out = findPreemption(p, v, r.failures, preparePlugins(p, v))
    expect(out.plan).toBeUndefined()
    if (!out.plan)
      expect([...out.reasons]).toEqual([
        ['No preemption victims found for incoming pod', 1],
        [NOT_HELPFUL, 1],
      ])
  })
})
