import { describe, expect, test } from 'bun:test'
import { fitErrorMessage, NO_VICTIMS, preemptionMessage } from './failure-message.ts'

describe('FailedScheduling message', () => {
  test('counts per reason, sorted as upstream, with the preemption outcome', () => {
    const failures = [
      { reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'] },
      { reasons: ['Insufficient cpu'] },
      { reasons: ['Insufficient cpu'] },
    ]
    const msg = fitErrorMessage(3, failures) + preemptionMessage(3, new Map([[NO_VICTIMS, 3]]))
    expect(msg).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    )
  })
  test('a node failing two resources counts in both', () => {
    expect(fitErrorMessage(1, [{ reasons: ['Insufficient cpu', 'Insufficient memory'] }])).toBe(
      '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.',
    )
  })
  test('a PreFilter rejection (unbound immediate claim) is named once, without a node count', () => {
    const f = { reasons: ['pod has unbound immediate PersistentVolumeClaims'], preFilter: true }
    expect(fitErrorMessage(3, [f, f, f])).toBe(
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.',
    )
  })
  test('no nodes at all', () => expect(fitErrorMessage(0, [])).toBe('0/0 nodes are available.'))
})
