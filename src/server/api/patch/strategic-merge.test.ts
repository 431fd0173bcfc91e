import { describe, expect, test } from 'bun:test'
import { PatchError } from './errors.ts'
import { deploymentSchema, nodeSchema, podSchema, serviceSchema } from './schema-fixtures.ts'
import { applyStrategicMergePatch } from './strategic-merge.ts'

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, finalizers: ['a', 'b'] },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1',
            args: ['-a', '-b'],
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
          { name: 'side', image: 'busybox' },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
        tolerations: [{ key: 'k', operator: 'Exists' }],
      },
    },
  },
  status: { conditions: [{ type: 'Available', status: 'False' }] },
})

type D = ReturnType<typeof deployment>
const podSpec = (d: any) => d.spec.template.spec
const names = (list: any[]) => list.map((x) => x.name)

// Patches as kubectl 1.32 sends them (apply three-way patches, rollout restart/pause, cordon, label).
const cases: [string, unknown, (d: any) => void][] = [
  [
    'apply: image and replicas change with $setElementOrder',
    {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' } },
      spec: {
        replicas: 3,
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }, { name: 'side' }],
            containers: [{ image: 'nginx:2', name: 'web' }],
          },
        },
      },
    },
    (d) => {
      expect(d.spec.replicas).toBe(3)
      expect(podSpec(d).containers[0]).toMatchObject({ name: 'web', image: 'nginx:2', args: ['-a', '-b'] })
      expect(names(podSpec(d).containers)).toEqual(['web', 'side'])
      expect(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBe('{}\n')
    },
  ],
  [
    'apply: a container removed with $patch delete',
    {
      spec: {
        template: {
          spec: { '$setElementOrder/containers': [{ name: 'web' }], containers: [{ $patch: 'delete', name: 'side' }] },
        },
      },
    },
    (d) => expect(names(podSpec(d).containers)).toEqual(['web']),
  ],
  [
    'apply: a container added in front via $setElementOrder',
    {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'init' }, { name: 'web' }, { name: 'side' }],
            containers: [{ image: 'alpine', name: 'init' }],
          },
        },
      },
    },
    (d) => expect(names(podSpec(d).containers)).toEqual(['init', 'web', 'side']),
  ],
  [
    'apply: env var removed and one changed, nested in a container',
    {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }, { name: 'side' }],
            containers: [
              {
                '$setElementOrder/env': [{ name: 'A' }],
                env: [
                  { name: 'A', value: '9' },
                  { $patch: 'delete', name: 'B' },
                ],
                name: 'web',
              },
            ],
          },
        },
      },
    },
    (d) => expect(podSpec(d).containers[0].env).toEqual([{ name: 'A', value: '9' }]),
  ],
  [
    'apply: ports merge by containerPort',
    {
      spec: { template: { spec: { containers: [{ name: 'web', ports: [{ containerPort: 443, protocol: 'TCP' }] }] } } },
    },
    (d) =>
      expect(
        podSpec(d)
          .containers[0].ports.map((p: any) => p.containerPort)
          .sort(),
      ).toEqual([443, 80]),
  ],
  [
    'apply: volumeMounts merge by mountPath',
    {
      spec: {
        template: { spec: { containers: [{ name: 'web', volumeMounts: [{ mountPath: '/data', readOnly: true }] }] } },
      },
    },
    (d) =>
      expect(podSpec(d).containers[0].volumeMounts).toEqual([{ name: 'data', mountPath: '/data', readOnly: true }]),
  ],
  [
    'apply: volume source switched with $retainKeys',
    {
      spec: {
        template: {
          spec: {
            '$setElementOrder/volumes': [{ name: 'data' }],
            volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cfg' }, emptyDir: null, name: 'data' }],
          },
        },
      },
    },
    (d) => expect(podSpec(d).volumes).toEqual([{ name: 'data', configMap: { name: 'cfg' } }]),
  ],
  [
    'apply: strategy switched to Recreate with $retainKeys',
    { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } },
    (d) => expect(d.spec.strategy).toEqual({ type: 'Recreate' }),
  ],
  [
    '$retainKeys drops fields the patch does not mention',
    { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    (d) => expect(d.spec.strategy).toEqual({ type: 'Recreate' }),
  ],
  [
    'apply: finalizers with $deleteFromPrimitiveList and $setElementOrder',
    {
      metadata: {
        '$setElementOrder/finalizers': ['a', 'c'],
        '$deleteFromPrimitiveList/finalizers': ['b'],
        finalizers: ['c'],
      },
    },
    (d) => expect(d.metadata.finalizers).toEqual(['a', 'c']),
  ],
  [
    'finalizers merge as a set',
    { metadata: { finalizers: ['b', 'z'] } },
    (d) => expect([...d.metadata.finalizers].sort()).toEqual(['a', 'b', 'z']),
  ],
  [
    'null deletes a label',
    { metadata: { labels: { tier: null } } },
    (d) => expect(d.metadata.labels).toEqual({ app: 'web' }),
  ],
  [
    'atomic lists are replaced whole (tolerations, args)',
    {
      spec: {
        template: {
          spec: {
            tolerations: [{ key: 'x', operator: 'Equal', value: 'y' }],
            containers: [{ name: 'web', args: ['-c'] }],
          },
        },
      },
    },
    (d) => {
      expect(podSpec(d).tolerations).toEqual([{ key: 'x', operator: 'Equal', value: 'y' }])
      expect(podSpec(d).containers[0].args).toEqual(['-c'])
    },
  ],
  [
    'rollout restart',
    {
      spec: {
        template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-22T07:50:00Z' } } },
      },
    },
    (d) => {
      expect(d.spec.template.metadata).toEqual({
        labels: { app: 'web' },
        annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-22T07:50:00Z' },
      })
      expect(names(podSpec(d).containers)).toEqual(['web', 'side'])
    },
  ],
  ['rollout pause', { spec: { paused: true } }, (d) => expect(d.spec.paused).toBe(true)],
  [
    '$patch: replace on a map',
    { spec: { template: { metadata: { labels: { $patch: 'replace', app: 'new' } } } } },
    (d) => expect(d.spec.template.metadata.labels).toEqual({ app: 'new' }),
  ],
  [
    '$patch: delete on a map empties it',
    { spec: { strategy: { $patch: 'delete' } } },
    (d) => expect(d.spec.strategy).toEqual({}),
  ],
  [
    '$patch: replace item in a merge list',
    { spec: { template: { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } } } },
    (d) => expect(podSpec(d).containers).toEqual([{ name: 'only', image: 'x' }]),
  ],
  [
    'status conditions merge by type',
    {
      status: {
        conditions: [
          { type: 'Available', status: 'True' },
          { type: 'Progressing', status: 'True' },
        ],
      },
    },
    (d) =>
      expect(d.status.conditions).toEqual([
        { type: 'Available', status: 'True' },
        { type: 'Progressing', status: 'True' },
      ]),
  ],
  [
    'fields without schema merge like a merge patch',
    { spec: { extra: { list: [1, 2], m: { a: 1 } } } },
    (d) => expect(d.spec.extra).toEqual({ list: [1, 2], m: { a: 1 } }),
  ],
  [
    'a new merge list drops directive items and nulls',
    {
      spec: {
        template: {
          spec: {
            initContainers: [
              { name: 'i', image: 'x', args: null },
              { $patch: 'delete', name: 'gone' },
            ],
          },
        },
      },
    },
    (d) => expect(podSpec(d).initContainers).toEqual([{ name: 'i', image: 'x' }]),
  ],
  [
    'a new container is placed before server-only items (upstream mergeSortedSlice)',
    { spec: { template: { spec: { containers: [{ name: 'new', image: 'x' }] } } } },
    (d) => expect(names(podSpec(d).containers)).toEqual(['new', 'web', 'side']),
  ],
]

describe('applyStrategicMergePatch on a Deployment', () => {
  for (const [name, patch, check] of cases)
    test(name, () => {
      const live = deployment()
      check(applyStrategicMergePatch<D>(live, patch, deploymentSchema))
      expect(live).toEqual(deployment())
    })
})

describe('other kinds', () => {
  test('cordon', () => {
    const node = { metadata: { name: 'n1' }, spec: { podCIDR: '10.42.0.0/24' } }
    expect(applyStrategicMergePatch<any>(node, { spec: { unschedulable: true } }, nodeSchema)).toEqual({
      metadata: { name: 'n1' },
      spec: { podCIDR: '10.42.0.0/24', unschedulable: true },
    })
  })
  test('service ports merge by port', () => {
    const svc = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } }
    const out: any = applyStrategicMergePatch(svc, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }, serviceSchema)
    expect(out.spec.ports).toEqual([{ port: 80, targetPort: 9090 }, { port: 443 }])
  })
  test('ownerReferences merge by uid', () => {
    const pod = { metadata: { ownerReferences: [{ uid: 'u1', name: 'rs1' }] } }
    const out: any = applyStrategicMergePatch(
      pod,
      { metadata: { ownerReferences: [{ uid: 'u2', name: 'rs2' }] } },
      podSchema,
    )
    expect(out.metadata.ownerReferences.map((o: any) => o.uid).sort()).toEqual(['u1', 'u2'])
  })
  test('without a schema every list is replaced', () => {
    expect(applyStrategicMergePatch({ a: [{ name: 'x' }], b: 1 }, { a: [{ name: 'y' }] })).toEqual({
      a: [{ name: 'y' }],
      b: 1,
    })
  })
})

describe('errors', () => {
  const bad: [string, unknown, number][] = [
    ['not an object', [1], 400],
    ['merge item without its key', { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, 422],
    ['unknown $patch', { spec: { strategy: { $patch: 'frob' } } }, 422],
    ['$retainKeys not a list', { spec: { strategy: { $retainKeys: 'type' } } }, 400],
    [
      'patch content outside $retainKeys',
      { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 } } } },
      422,
    ],
    ['$deleteFromPrimitiveList not a list', { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } }, 400],
  ]
  for (const [name, patch, code] of bad)
    test(name, () => {
      let err: any
      try {
        applyStrategicMergePatch(deployment(), patch, deploymentSchema)
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(PatchError)
      expect(err.code).toBe(code)
    })
})
