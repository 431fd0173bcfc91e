// Table-driven checks of every filter: one row = (pod, node with pods) → expected reasons.
import { describe, expect, test } from 'bun:test'
import { filterNode, preparePlugins } from '../framework.ts'
import { info, node, pod, view } from '../testing.ts'
import type { NodeInfo, Pod } from '../types.ts'
import { defaultPlugins } from './index.ts'

function reasons(p: Pod, target: NodeInfo, others: NodeInfo[] = [], extra = {}): string[] {
  const v = view([target, ...others], extra)
  return filterNode(p, target, preparePlugins(p, v, defaultPlugins), v)?.reasons ?? []
}

const cp = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }
const zone = (z: string) => ({ 'topology.kubernetes.io/zone': z })
const webLabels = { app: 'web' }
const sel = { matchLabels: webLabels }

describe('filters', () => {
  test.each<[string, Pod, NodeInfo, string[]]>([
    ['fits an empty node', pod('a', {}, { cpu: '1' }), info(node('n')), []],
    ['cordoned node', pod('a'), info(node('n', { unschedulable: true })), ['node(s) were unschedulable']],
    [
      'cordon tolerated',
      pod('a', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists' }] }),
      info(node('n', { unschedulable: true })),
      [],
    ],
    ['not ready node', pod('a'), info(node('n', { ready: 'Unknown' })), ['node(s) were not ready']],
    [
      'untolerated taint',
      pod('a'),
      info(node('n', { taints: [cp] })),
      ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
    ],
    [
      'tolerated by Exists',
      pod('a', { tolerations: [{ key: cp.key, operator: 'Exists' }] }),
      info(node('n', { taints: [cp] })),
      [],
    ],
    ['wildcard toleration', pod('a', { tolerations: [{ operator: 'Exists' }] }), info(node('n', { taints: [cp] })), []],
    [
      'Equal needs the value',
      pod('a', { tolerations: [{ key: 'k', value: 'x', effect: 'NoExecute' }] }),
      info(node('n', { taints: [{ key: 'k', value: 'y', effect: 'NoExecute' }] })),
      ['node(s) had untolerated taint {k: y}'],
    ],
    [
      'PreferNoSchedule does not filter',
      pod('a'),
      info(node('n', { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] })),
      [],
    ],
    [
      'nodeSelector mismatch',
      pod('a', { nodeSelector: { disk: 'ssd' } }),
      info(node('n')),
      ["node(s) didn't match Pod's node affinity/selector"],
    ],
    [
      'nodeSelector match',
      pod('a', { nodeSelector: { disk: 'ssd' } }),
      info(node('n', { labels: { disk: 'ssd' } })),
      [],
    ],
    [
      'affinity In',
      pod('a', {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd', 'nvme'] }] }],
            },
          },
        },
      }),
      info(node('n', { labels: { disk: 'hdd' } })),
      ["node(s) didn't match Pod's node affinity/selector"],
    ],
    [
      'affinity NotIn',
      pod('a', {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'NotIn', values: ['hdd'] }] }],
            },
          },
        },
      }),
      info(node('n', { labels: { disk: 'ssd' } })),
      [],
    ],
    [
      'affinity DoesNotExist',
      pod('a', {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }],
            },
          },
        },
      }),
      info(node('n', { labels: { gpu: '1' } })),
      ["node(s) didn't match Pod's node affinity/selector"],
    ],
    [
      'affinity Gt',
      pod('a', {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] }],
            },
          },
        },
      }),
      info(node('n', { labels: { cores: '16' } })),
      [],
    ],
    [
      'affinity Lt',
      pod('a', {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['8'] }] }],
            },
          },
        },
      }),
      info(node('n', { labels: { cores: '16' } })),
      ["node(s) didn't match Pod's node affinity/selector"],
    ],
    [
      'terms are ORed',
      pod('a', {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'x', operator: 'Exists' }] },
                { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n'] }] },
              ],
            },
          },
        },
      }),
      info(node('n')),
      [],
    ],
    [
      'matchFields other name',
      pod('a', {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['m'] }] }],
            },
          },
        },
      }),
      info(node('n')),
      ["node(s) didn't match Pod's node affinity/selector"],
    ],
    [
      'insufficient cpu',
      pod('a', {}, { cpu: '3' }),
      info(node('n'), [pod('b', { nodeName: 'n' }, { cpu: '2' })]),
      ['Insufficient cpu'],
    ],
    [
      'insufficient cpu and memory',
      pod('a', {}, { cpu: '5', memory: '9Gi' }),
      info(node('n')),
      ['Insufficient cpu', 'Insufficient memory'],
    ],
    ['too many pods', pod('a'), info(node('n', { pods: 1 }), [pod('b')]), ['Too many pods']],
    [
      'init container max counts',
      pod('a', { initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '5' } } }] }, { cpu: '1' }),
      info(node('n')),
      ['Insufficient cpu'],
    ],
    [
      'host port taken',
      pod('a', { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] }),
      info(node('n'), [
        pod('b', { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] }),
      ]),
      ["node(s) didn't have free ports for the requested pod ports"],
    ],
    [
      'host port other protocol',
      pod('a', {
        containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 53, hostPort: 53, protocol: 'UDP' }] }],
      }),
      info(node('n'), [
        pod('b', { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 53, hostPort: 53 }] }] }),
      ]),
      [],
    ],
    [
      'anti-affinity by hostname',
      pod(
        'a',
        {
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { labelSelector: sel, topologyKey: 'kubernetes.io/hostname' },
              ],
            },
          },
        },
        { labels: webLabels },
      ),
      info(node('n'), [pod('b', {}, { labels: webLabels })]),
      ["node(s) didn't match pod anti-affinity rules"],
    ],
    [
      'existing pod anti-affinity',
      pod('a', {}, { labels: webLabels }),
      info(node('n'), [
        pod('b', {
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { labelSelector: sel, topologyKey: 'kubernetes.io/hostname' },
              ],
            },
          },
        }),
      ]),
      ["node(s) didn't satisfy existing pods anti-affinity rules"],
    ],
    [
      "both the pod and the existing one anti-affine (a spreading Deployment): the pod's own rule is named",
      pod(
        'a',
        {
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { labelSelector: sel, topologyKey: 'kubernetes.io/hostname' },
              ],
            },
          },
        },
        { labels: webLabels },
      ),
      info(node('n'), [
        pod(
          'b',
          {
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  { labelSelector: sel, topologyKey: 'kubernetes.io/hostname' },
                ],
              },
            },
          },
          { labels: webLabels },
        ),
      ]),
      ["node(s) didn't match pod anti-affinity rules"],
    ],
    [
      'anti-affinity other namespace ignored',
      pod('a', {
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: sel, topologyKey: 'kubernetes.io/hostname' },
            ],
          },
        },
      }),
      info(node('n'), [pod('b', {}, { labels: webLabels, ns: 'other' })]),
      [],
    ],
  ])('%s', (_name, p, target, want) => expect(reasons(p, target)).toEqual(want))

  test('pod affinity needs a matching pod in the same zone', () => {
    const p = pod('a', {
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'topology.kubernetes.io/zone' },
          ],
        },
      },
    })
    const withDb = info(node('n1', { labels: zone('a') }), [pod('db', {}, { labels: { app: 'db' } })])
    const sameZone = info(node('n2', { labels: zone('a') }))
    const otherZone = info(node('n3', { labels: zone('b') }))
    expect(reasons(p, sameZone, [withDb, otherZone])).toEqual([])
    expect(reasons(p, otherZone, [withDb, sameZone])).toEqual(["node(s) didn't match pod affinity rules"])
  })

  test('the first pod matching its own affinity term may go anywhere', () => {
    const p = pod(
      'a',
      {
        affinity: {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: sel, topologyKey: 'kubernetes.io/hostname' },
            ],
          },
        },
      },
      { labels: webLabels },
    )
    expect(reasons(p, info(node('n')))).toEqual([])
  })

  test('topology spread DoNotSchedule keeps skew within maxSkew', () => {
    const spread = {
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: sel },
      ],
    }
    const p = pod('a', spread, { labels: webLabels })
    const busy = info(node('n1'), [pod('w1', {}, { labels: webLabels })])
    const empty = info(node('n2'))
    expect(reasons(p, busy, [empty])).toEqual(["node(s) didn't match pod topology spread constraints"])
    expect(reasons(p, empty, [busy])).toEqual([])
    const p2 = pod(
      'b',
      { topologySpreadConstraints: [{ ...spread.topologySpreadConstraints[0], topologyKey: 'rack' }] },
      { labels: webLabels },
    )
    expect(reasons(p2, empty)).toEqual([
      "node(s) didn't match pod topology spread constraints (missing required label)",
    ])
  })

  test('volumes: missing claim, unbound immediate claim, PV node affinity', () => {
    const p = pod('a', { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] })
    const n = info(node('n'))
    expect(reasons(p, n)).toEqual(['persistentvolumeclaim "data" not found'])
    const pvcs = new Map([['default/data', { metadata: { name: 'data' }, spec: { storageClassName: 'std' } }]])
    expect(reasons(p, n, [], { pvcs })).toEqual(['pod has unbound immediate PersistentVolumeClaims'])
    const storageClasses = new Map([['std', { volumeBindingMode: 'WaitForFirstConsumer' }]])
    expect(reasons(p, n, [], { pvcs, storageClasses })).toEqual([])
    const bound = new Map([['default/data', { metadata: { name: 'data' }, spec: { volumeName: 'pv1' } }]])
    const pvs = new Map([
      [
        'pv1',
        {
          spec: {
            nodeAffinity: {
              required: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['other'] }] },
                ],
              },
            },
          },
        },
      ],
    ])
    expect(reasons(p, n, [], { pvcs: bound, pvs })).toEqual(['node(s) had volume node affinity conflict'])
  })
})
