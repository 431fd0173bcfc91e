import { describe, expect, test } from 'bun:test'
import { humanDuration } from './columns/format.ts'
import { podSummary } from './columns/pod.ts'
import { builtinRegistry } from './index.ts'
import { renderTable } from './table.ts'

const reg = builtinRegistry()
const NOW = Date.parse('2026-01-01T12:00:00Z')
const ago = (s: number) => new Date(NOW - s * 1000).toISOString()
const def = (group: string, kind: string) => reg.byKind(group, kind)!
const row = (group: string, kind: string, obj: any) => {
  const t: any = renderTable(def(group, kind), [obj], { now: NOW })
  return Object.fromEntries(t.columnDefinitions.map((c: any, i: number) => [c.name, t.rows[0].cells[i]]))
}

describe('humanDuration', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [119, '119s'],
    [120, '2m'],
    [150, '2m30s'],
    [600, '10m'],
    [3 * 3600 + 60, '3h1m'],
    [9 * 3600, '9h'],
    [50 * 3600, '2d2h'],
    [10 * 86400, '10d'],
    [800 * 86400, '2y70d'],
  ]
  for (const [s, want] of cases) test(`${s}s`, () => expect(humanDuration(s * 1000)).toBe(want))
})

describe('pod STATUS as kubectl computes it', () => {
  const pod = (status: any, extra: any = {}) => ({
    metadata: { name: 'p', creationTimestamp: ago(60), ...extra.metadata },
    spec: { containers: [{ name: 'a' }, { name: 'b' }], ...extra.spec },
    status,
  })
  const running = { running: {} }
  const cases: [string, any, string, string][] = [
    ['pending', pod({ phase: 'Pending' }), 'Pending', '0/2'],
    [
      'running and ready',
      pod({
        phase: 'Running',
        containerStatuses: [
          { name: 'a', ready: true, state: running },
          { name: 'b', ready: true, state: running },
        ],
      }),
      'Running',
      '2/2',
    ],
    [
      'crash loop',
      pod({
        phase: 'Running',
        containerStatuses: [
          { name: 'a', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } },
          { name: 'b', ready: true, state: running },
        ],
      }),
      'CrashLoopBackOff',
      '1/2',
    ],
    [
      'image pull',
      pod({ phase: 'Pending', containerStatuses: [{ name: 'a', state: { waiting: { reason: 'ErrImagePull' } } }] }),
      'ErrImagePull',
      '0/2',
    ],
    [
      'completed',
      pod({
        phase: 'Succeeded',
        containerStatuses: [{ name: 'a', state: { terminated: { reason: 'Completed', exitCode: 0 } } }],
      }),
      'Completed',
      '0/2',
    ],
    [
      'exit code without reason',
      pod({ phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 3 } } }] }),
      'ExitCode:3',
      '0/2',
    ],
    [
      'init running',
      pod(
        { phase: 'Pending', initContainerStatuses: [{ name: 'i', state: { running: {} } }] },
        { spec: { initContainers: [{ name: 'i' }] } },
      ),
      'Init:0/1',
      '0/2',
    ],
    [
      'init crash',
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [{ name: 'i', state: { waiting: { reason: 'CrashLoopBackOff' } } }],
        },
        { spec: { initContainers: [{ name: 'i' }] } },
      ),
      'Init:CrashLoopBackOff',
      '0/2',
    ],
    ['terminating', pod({ phase: 'Running' }, { metadata: { deletionTimestamp: ago(1) } }), 'Terminating', '0/2'],
    ['evicted', pod({ phase: 'Failed', reason: 'Evicted' }), 'Evicted', '0/2'],
    [
      'sidecar counts',
      pod(
        {
          phase: 'Running',
          initContainerStatuses: [{ name: 'i', started: true, ready: true, state: running }],
          containerStatuses: [
            { name: 'a', ready: true, state: running },
            { name: 'b', ready: true, state: running },
          ],
          conditions: [{ type: 'Initialized', status: 'True' }],
        },
        { spec: { initContainers: [{ name: 'i', restartPolicy: 'Always' }] } },
      ),
      'Running',
      '3/3',
    ],
  ]
  for (const [name, p, status, ready] of cases)
    test(name, () => {
      const s = podSummary(p)
      expect([s.status, s.ready]).toEqual([status, ready])
    })

  test('restarts show when the last one happened', () => {
    const p = pod({
      phase: 'Running',
      containerStatuses: [
        { name: 'a', restartCount: 3, lastState: { terminated: { finishedAt: ago(300) } }, state: running },
      ],
    })
    expect(row('', 'Pod', p).Restarts).toBe('3 (5m ago)')
  })
})

describe('Table shape', () => {
  const pod = {
    metadata: { name: 'web-1', namespace: 'default', creationTimestamp: ago(90), uid: 'u' },
    spec: { nodeName: 'n1', containers: [{ name: 'c' }] },
    status: { phase: 'Running', podIP: '10.42.0.5' },
  }
  test('pods: NAME first, upstream columns, wide columns with priority 1', () => {
    const t: any = renderTable(def('', 'Pod'), [pod], { now: NOW, resourceVersion: '42' })
    expect(t.kind).toBe('Table')
    expect(t.apiVersion).toBe('meta.k8s.io/v1')
    expect(t.metadata).toEqual({ resourceVersion: '42' })
    expect(t.columnDefinitions.map((c: any) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0',
      'Ready:0',
      'Status:0',
      'Restarts:0',
      'Age:0',
      'IP:1',
      'Node:1',
      'Nominated Node:1',
      'Readiness Gates:1',
    ])
    expect(t.rows[0].cells).toEqual(['web-1', '0/1', 'Running', '0', '90s', '10.42.0.5', 'n1', '<none>', '<none>'])
    expect(t.rows[0].object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: pod.metadata,
    })
  })
  test('includeObject=Object carries the full object; noHeaders leaves definitions null', () => {
    const t: any = renderTable(def('', 'Pod'), [pod], { includeObject: 'Object', noHeaders: true })
    expect(t.rows[0].object).toBe(pod)
    expect(t.columnDefinitions).toBeNull()
  })
  test('wide=false drops priority columns', () => {
    const t: any = renderTable(def('', 'Pod'), [pod], { wide: false })
    expect(t.columnDefinitions).toHaveLength(5)
    expect(t.rows[0].cells).toHaveLength(5)
  })
  test('kinds without a printer get Name and Created At', () => {
    const t: any = renderTable(def('apiextensions.k8s.io', 'CustomResourceDefinition'), [
      { metadata: { name: 'x', creationTimestamp: '2026-01-01T00:00:00Z' } },
    ])
    expect(t.columnDefinitions.map((c: any) => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Created At', 'date'],
    ])
    expect(t.rows[0].cells).toEqual(['x', '2026-01-01T00:00:00Z'])
  })
  test('events start with LAST SEEN and end with NAME', () => {
    const t: any = renderTable(
      def('', 'Event'),
      [
        {
          metadata: { name: 'e1' },
          type: 'Normal',
          reason: 'Pulled',
          message: ' ok ',
          involvedObject: { kind: 'Pod', name: 'web' },
          lastTimestamp: ago(30),
          firstTimestamp: ago(60),
          count: 2,
          source: { component: 'kubelet', host: 'n1' },
        },
      ],
      { now: NOW },
    )
    expect(t.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Last Seen',
      'Type',
      'Reason',
      'Object',
      'Subobject',
      'Source',
      'Message',
      'First Seen',
      'Count',
      'Name',
    ])
    expect(t.rows[0].cells).toEqual(['30s', 'Normal', 'Pulled', 'pod/web', '', 'kubelet, n1', 'ok', '60s', 2, 'e1'])
  })
})

describe('columns of other kinds', () => {
  const meta = { name: 'x', creationTimestamp: ago(600) }
  test('deployment', () => {
    expect(
      row('apps', 'Deployment', {
        metadata: meta,
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'web' } },
          template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } },
        },
        status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
      }),
    ).toEqual({
      Name: 'x',
      Ready: '2/3',
      'Up-to-date': 3,
      Available: 2,
      Age: '10m',
      Containers: 'c',
      Images: 'nginx',
      Selector: 'app=web',
    })
  })
  test('service types', () => {
    const svc = (spec: any, status: any = {}) => row('', 'Service', { metadata: meta, spec, status })
    expect(
      svc({
        type: 'ClusterIP',
        clusterIP: '10.43.0.10',
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
        selector: { k8s: 'dns' },
      }),
    ).toMatchObject({
      Type: 'ClusterIP',
      'Cluster-IP': '10.43.0.10',
      'External-IP': '<none>',
      'Port(s)': '53/UDP,53/TCP',
      Selector: 'k8s=dns',
    })
    expect(
      svc({ type: 'NodePort', clusterIP: '10.43.0.11', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] })[
        'Port(s)'
      ],
    ).toBe('80:30080/TCP')
    expect(svc({ type: 'LoadBalancer', clusterIP: '10.43.0.12', ports: [] })['External-IP']).toBe('<pending>')
    expect(
      svc({ type: 'LoadBalancer', ports: [] }, { loadBalancer: { ingress: [{ ip: '192.168.1.5' }] } })['External-IP'],
    ).toBe('192.168.1.5')
    expect(svc({ type: 'ExternalName', externalName: 'example.com' })).toMatchObject({
      'Cluster-IP': '<none>',
      'External-IP': 'example.com',
      'Port(s)': '<none>',
    })
  })
  test('node', () => {
    const n = row('', 'Node', {
      metadata: {
        ...meta,
        labels: { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true' },
      },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'InternalIP', address: '10.0.0.2' }],
        nodeInfo: { kubeletVersion: 'v1.33.0+kubun', osImage: 'Debian GNU/Linux 12 (bookworm)' },
      },
    })
    expect(n).toMatchObject({
      Status: 'Ready,SchedulingDisabled',
      Roles: 'control-plane,master',
      Version: 'v1.33.0+kubun',
      'Internal-IP': '10.0.0.2',
      'External-IP': '<none>',
      'Kernel-Version': '<unknown>',
    })
  })
  test('job and cronjob', () => {
    expect(
      row('batch', 'Job', {
        metadata: meta,
        spec: { completions: 3 },
        status: {
          succeeded: 3,
          startTime: ago(100),
          completionTime: ago(40),
          conditions: [{ type: 'Complete', status: 'True' }],
        },
      }),
    ).toMatchObject({ Status: 'Complete', Completions: '3/3', Duration: '60s' })
    expect(
      row('batch', 'CronJob', { metadata: meta, spec: { schedule: '*/1 * * * *', suspend: false }, status: {} }),
    ).toMatchObject({
      Schedule: '*/1 * * * *',
      Timezone: '<none>',
      Suspend: 'False',
      Active: 0,
      'Last Schedule': '<none>',
    })
  })
  test('config, secrets, endpoints, storage class default marker', () => {
    expect(row('', 'ConfigMap', { metadata: meta, data: { a: '1', b: '2' } }).Data).toBe(2)
    expect(row('', 'Secret', { metadata: meta, type: 'Opaque', data: { a: 'eA==' } })).toMatchObject({
      Type: 'Opaque',
      Data: 1,
    })
    expect(
      row('', 'Endpoints', {
        metadata: meta,
        subsets: [
          {
            addresses: [{ ip: '1.1.1.1' }, { ip: '1.1.1.2' }, { ip: '1.1.1.3' }, { ip: '1.1.1.4' }],
            ports: [{ port: 80 }],
          },
        ],
      }).Endpoints,
    ).toBe('1.1.1.1:80,1.1.1.2:80,1.1.1.3:80 + 1 more...')
    expect(
      row('storage.k8s.io', 'StorageClass', {
        metadata: { ...meta, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
        provisioner: 'rancher.io/local-path',
      }).Name,
    ).toBe('x (default)')
  })
  test('resource quota: used/hard per resource, limits.* apart (upstream printResourceQuota)', () => {
    const q = row('', 'ResourceQuota', {
      metadata: meta,
      status: {
        hard: { pods: '10', 'limits.cpu': '2', cpu: '1', 'count/deployments.apps': '2' },
        used: { pods: '3', 'limits.cpu': '500m' },
      },
    })
    expect(q).toEqual({
      Name: 'x',
      Age: '10m',
      Request: 'count/deployments.apps: 0/2, cpu: 0/1, pods: 3/10',
      Limit: 'limits.cpu: 500m/2',
    })
    expect(Object.keys(row('', 'LimitRange', { metadata: meta }))).toEqual(['Name', 'Created At'])
  })
  test('roles print NAME and CREATED AT only, as upstream', () => {
    const r = row('rbac.authorization.k8s.io', 'Role', { metadata: meta, rules: [] })
    expect(Object.keys(r)).toEqual(['Name', 'Created At'])
  })
})
