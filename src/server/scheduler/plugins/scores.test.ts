// Scores: which node wins for each preference, through the framework's weighted normalized sum.
import { describe, expect, test } from 'bun:test'
import { preparePlugins, runCycle, scoreNodes } from '../framework.ts'
import { info, node, pod, view } from '../testing.ts'
import type { NodeInfo, Pod } from '../types.ts'
import { defaultNormalize, minMaxNormalize } from './normalize.ts'

const winner = (p: Pod, nodes: NodeInfo[]) => {
  const r = runCycle(p, view(nodes), { random: () => 0.99 })
  return r.node?.node.metadata?.name
}
const web = { app: 'web' }

describe('scores', () => {
  test.each<[string, Pod, NodeInfo[], string]>([
    [
      'least allocated prefers the emptier node',
      pod('a', {}, { cpu: '1' }),
      [info(node('busy'), [pod('b', {}, { cpu: '3' })]), info(node('idle'))],
      'idle',
    ],
    [
      'balanced allocation prefers even cpu/memory use',
      pod('a', {}, { cpu: '1', memory: '1Gi' }),
      [
        info(node('skewed'), [pod('b', {}, { cpu: '2' })]),
        info(node('even'), [pod('c', {}, { cpu: '1', memory: '2Gi' })]),
      ],
      'even',
    ],
    [
      'preferred node affinity',
      pod('a', {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 50, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
            ],
          },
        },
      }),
      [info(node('hdd')), info(node('ssd', { labels: { disk: 'ssd' } }))],
      'ssd',
    ],
    [
      'PreferNoSchedule taint avoided',
      pod('a'),
      [info(node('tainted', { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] })), info(node('clean'))],
      'clean',
    ],
    [
      'preferred pod affinity',
      pod('a', {
        affinity: {
          podAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 100,
                podAffinityTerm: { labelSelector: { matchLabels: web }, topologyKey: 'kubernetes.io/hostname' },
              },
            ],
          },
        },
      }),
      [info(node('n1')), info(node('n2'), [pod('w', {}, { labels: web })])],
      'n2',
    ],
    [
      'preferred pod anti-affinity',
      pod('a', {
        affinity: {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 100,
                podAffinityTerm: { labelSelector: { matchLabels: web }, topologyKey: 'kubernetes.io/hostname' },
              },
            ],
          },
        },
      }),
      [info(node('n1'), [pod('w', {}, { labels: web })]), info(node('n2'))],
      'n2',
    ],
    [
      'ScheduleAnyway spread',
      pod(
        'a',
        {
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: web },
            },
          ],
        },
        { labels: web },
      ),
      [
        info(node('n1'), [pod('w1', {}, { labels: web }), pod('w2', {}, { labels: web })]),
        info(node('n2'), [pod('x', {}, { cpu: '1' })]),
      ],
      'n2',
    ],
  ])('%s', (_n, p, nodes, want) => expect(winner(p, nodes)).toBe(want))

  test('normalizers', () => {
    const a = [0, 5, 10]
    defaultNormalize(a)
    expect(a).toEqual([0, 50, 100])
    const b = [0, 5, 10]
    defaultNormalize(b, true)
    expect(b).toEqual([100, 50, 0])
    const c = [-10, 0, 10]
    minMaxNormalize(c)
    expect(c).toEqual([0, 50, 100])
  })

  test('total = weighted sum of normalized plugin scores', () => {
    const p = pod('a')
    const nodes = [info(node('x')), info(node('y'))]
    const v = view(nodes)
    // identical empty nodes: every plugin gives both the same score
    const [sx, sy] = scoreNodes(p, nodes, preparePlugins(p, v), v)
    expect(sx).toBe(sy)
    expect(sx).toBeGreaterThan(0)
  })
})
