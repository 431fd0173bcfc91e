import { describe, expect, test } from 'bun:test'
import { builtinRegistry } from '../index.ts'
import { defaultPullPolicy } from './pod.ts'

const reg = builtinRegistry()
const apply = (group: string, kind: string, obj: any) => {
  reg.byKind(group, kind)!.defaults!(obj)
  return obj
}
const pod = () => ({
  metadata: { name: 'p' },
  spec: {
    containers: [
      { name: 'c', image: 'nginx', ports: [{ containerPort: 80 }], livenessProbe: { httpGet: { port: 80 } } },
    ],
  },
})

describe('imagePullPolicy default', () => {
  const cases: [string, 'Always' | 'IfNotPresent'][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v2', 'IfNotPresent'],
    ['nginx@sha256:abc', 'IfNotPresent'],
  ]
  for (const [image, want] of cases) test(image, () => expect(defaultPullPolicy(image)).toBe(want))
})

describe('Pod defaults', () => {
  test('spec, container, port and probe defaults as upstream', () => {
    const p = apply('', 'Pod', pod())
    expect(p.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      securityContext: {},
      enableServiceLinks: true,
    })
    const c = p.spec.containers[0]
    expect(c).toMatchObject({
      imagePullPolicy: 'Always',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      resources: {},
    })
    expect(c.ports[0].protocol).toBe('TCP')
    expect(c.livenessProbe).toEqual({
      httpGet: { port: 80, scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    })
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' })
    expect(p.spec).toMatchObject({ serviceAccountName: 'default', serviceAccount: 'default', priority: 0 })
    expect(p.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ])
    // Idempotent: defaulting again (on update) changes nothing.
    const again = structuredClone(p)
    apply('', 'Pod', again)
    expect(again).toEqual(p)
  })
  test('explicit values are kept', () => {
    const p = pod() as any
    p.spec.restartPolicy = 'Never'
    p.spec.containers[0].imagePullPolicy = 'Never'
    apply('', 'Pod', p)
    expect(p.spec.restartPolicy).toBe('Never')
    expect(p.spec.containers[0].imagePullPolicy).toBe('Never')
  })
})

describe('workload defaults', () => {
  test('Deployment', () => {
    const d = apply('apps', 'Deployment', { metadata: { name: 'd' }, spec: { template: pod() } })
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    })
    expect(d.spec.template.spec.dnsPolicy).toBe('ClusterFirst')
    // Templates get PodSpec defaults only; priority and service links are pod-level (admission, SetDefaults_Pod).
    expect(d.spec.template.spec.priority).toBeUndefined()
    expect(d.spec.template.spec.enableServiceLinks).toBeUndefined()
  })
  test('Recreate gets no rollingUpdate', () => {
    const d = apply('apps', 'Deployment', { spec: { strategy: { type: 'Recreate' } } })
    expect(d.spec.strategy).toEqual({ type: 'Recreate' })
  })
  test('Job with uid gets the generated selector and labels', () => {
    const j = apply('batch', 'Job', {
      metadata: { name: 'j', uid: 'u1' },
      spec: { template: { spec: { containers: [] } } },
    })
    expect(j.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
    })
    expect(j.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } })
    expect(j.spec.template.metadata.labels).toMatchObject({
      'batch.kubernetes.io/job-name': 'j',
      'job-name': 'j',
      'controller-uid': 'u1',
    })
  })
  test('CronJob', () => {
    const c = apply('batch', 'CronJob', {
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: {} } } } },
    })
    expect(c.spec).toMatchObject({
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    })
    expect(c.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Always')
  })
  test('StatefulSet and DaemonSet', () => {
    expect(apply('apps', 'StatefulSet', {}).spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    })
    expect(apply('apps', 'DaemonSet', {}).spec.updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    })
  })
})

describe('Service, Namespace, Secret defaults', () => {
  test('ClusterIP service', () => {
    const s = apply('', 'Service', { spec: { ports: [{ port: 80 }] } })
    expect(s.spec).toMatchObject({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    })
    expect(s.spec.ports[0]).toEqual({ port: 80, protocol: 'TCP', targetPort: 80 })
    expect(s.spec.externalTrafficPolicy).toBeUndefined()
  })
  test('NodePort service gets externalTrafficPolicy', () => {
    expect(apply('', 'Service', { spec: { type: 'NodePort', ports: [] } }).spec.externalTrafficPolicy).toBe('Cluster')
  })
  test('Namespace finalizer, phase and name label', () => {
    const ns = apply('', 'Namespace', { metadata: { name: 'dev' } })
    expect(ns.spec.finalizers).toEqual(['kubernetes'])
    expect(ns.status.phase).toBe('Active')
    expect(ns.metadata.labels['kubernetes.io/metadata.name']).toBe('dev')
  })
  test('Secret stringData merges into data', () => {
    const s = apply('', 'Secret', { stringData: { a: 'hi' }, data: { b: 'eA==' } })
    expect(s).toEqual({ type: 'Opaque', data: { a: 'aGk=', b: 'eA==' } })
  })
})
