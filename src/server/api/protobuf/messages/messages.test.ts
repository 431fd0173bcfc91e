// The message tables against hand-laid bytes for what the captured kubectl fixtures do not
// exercise: a full pod template, complete ObjectMeta, and the rarer fields of other kinds.
import { describe, expect, test } from 'bun:test'
import { decodeKubeProtobuf } from '../decode-kube-protobuf.ts'
import { parseType } from '../message-table.ts'
import { entry, envelope, intOrString, len, msg, num, quantity, time } from '../wire-encoder.test-helper.ts'
import { KIND_MESSAGES, MESSAGES } from './index.ts'

const decode = (apiVersion: string, kind: string, raw: Uint8Array) =>
  decodeKubeProtobuf(envelope(apiVersion, kind, raw)).object

describe('tables', () => {
  test.each([...KIND_MESSAGES.entries()])('%s has ObjectMeta at field 1', (_, message) => {
    expect(MESSAGES[message].metadata).toEqual([1, 'ObjectMeta'])
  })

  test('every message is reachable from a kind (no dead entries)', () => {
    const seen = new Set<string>()
    const visit = (name: string) => {
      if (seen.has(name) || !(name in MESSAGES)) return
      seen.add(name)
      for (const [, type] of Object.values(MESSAGES[name])) {
        const f = parseType('', type)
        if (f.value.kind === 'message') visit(f.value.name)
      }
    }
    for (const m of KIND_MESSAGES.values()) visit(m)
    expect(Object.keys(MESSAGES).filter((m) => !seen.has(m))).toEqual([])
  })
})

describe('ObjectMeta', () => {
  test('every field a client may send', () => {
    const meta = msg(
      len(1, 'web'),
      len(2, 'web-'),
      len(3, 'prod'),
      len(5, '1f0c-uid'),
      len(6, '42'),
      num(7, 3),
      len(8, time(1700000000)),
      num(10, 0),
      entry(11, 'app', len(2, 'web')),
      entry(12, 'note', len(2, '')),
      len(13, msg(len(1, 'ReplicaSet'), len(3, 'web-abc'), len(4, 'rs-uid'), len(5, 'apps/v1'), num(6, true))),
      len(14, 'example.com/cleanup'),
    )
    expect(decode('v1', 'ConfigMap', msg(len(1, meta)))).toEqual({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: {
        name: 'web',
        generateName: 'web-',
        namespace: 'prod',
        uid: '1f0c-uid',
        resourceVersion: '42',
        generation: 3,
        creationTimestamp: '2023-11-14T22:13:20Z',
        deletionGracePeriodSeconds: 0,
        labels: { app: 'web' },
        annotations: { note: '' },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs-uid', controller: true },
        ],
        finalizers: ['example.com/cleanup'],
      },
    })
  })
})

describe('a Deployment with a full pod template', () => {
  const container = msg(
    len(1, 'app'),
    len(2, 'nginx:1.27'),
    len(4, '--port=8080'),
    len(6, msg(len(1, 'http'), num(3, 8080), len(4, 'TCP'))),
    len(7, msg(len(1, 'MODE'), len(2, 'fast'))),
    len(7, msg(len(1, 'PW'), len(3, msg(len(4, msg(len(1, msg(len(1, 'db'))), len(2, 'password'))))))),
    len(19, msg(len(2, msg(len(1, msg(len(1, 'cfg'))), num(2, true))))),
    len(8, msg(entry(1, 'memory', len(2, quantity('128Mi'))), entry(2, 'cpu', len(2, quantity('250m'))))),
    len(9, msg(len(1, 'data'), num(2, true), len(3, '/data'))),
    len(10, msg(len(1, msg(len(2, msg(len(1, '/healthz'), len(2, intOrString('http')))))), num(2, 5), num(4, 10))),
    len(11, msg(len(1, msg(len(3, msg(len(1, intOrString(8080)))))), num(6, 3))),
    len(12, msg(len(2, msg(len(1, msg(len(1, 'sleep'), len(1, '5'))))))),
    len(14, 'IfNotPresent'),
    len(15, msg(len(1, msg(len(2, 'ALL'))), num(4, 0), num(5, false), num(7, false))),
  )
  const requirement = msg(len(1, 'zone'), len(2, 'In'), len(3, 'a'))
  const nodeSelector = msg(len(1, msg(len(1, requirement))))
  const affinity = msg(len(1, msg(len(1, nodeSelector))))
  const podSpec = msg(
    len(1, msg(len(1, 'data'), len(2, msg(len(2, msg()))))),
    len(1, msg(len(1, 'secret'), len(2, msg(len(6, msg(len(1, 'db'), num(3, 0o400))))))),
    len(1, msg(len(1, 'cfg'), len(2, msg(len(19, msg(len(1, msg(len(1, 'cfg'))))))))),
    len(2, container),
    len(20, msg(len(1, 'init'), len(2, 'busybox'), len(3, 'true'), len(8, msg()))),
    len(3, 'Always'),
    num(4, 30),
    len(6, 'ClusterFirst'),
    entry(7, 'disk', len(2, 'ssd')),
    len(8, 'robot'),
    num(21, false),
    len(14, msg(num(2, 1000), num(3, true), num(5, 2000))),
    len(15, msg(len(1, 'regcred'))),
    len(22, msg(len(1, 'dedicated'), len(2, 'Equal'), len(3, 'web'), len(4, 'NoSchedule'))),
    len(18, affinity),
  )
  const raw = msg(
    len(1, msg(len(1, 'web'))),
    len(
      2,
      msg(
        num(1, 0),
        len(2, msg(entry(1, 'app', len(2, 'web')))),
        len(3, msg(len(1, msg(entry(11, 'app', len(2, 'web')))), len(2, podSpec))),
        len(4, msg(len(1, 'RollingUpdate'), len(2, msg(len(1, intOrString(0)), len(2, intOrString('25%')))))),
        num(6, 5),
        num(9, 600),
      ),
    ),
    len(3, msg()),
  )

  test('decodes into the JSON a client would send', () => {
    expect(decode('apps/v1', 'Deployment', raw)).toEqual({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'web' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            volumes: [
              { name: 'data', emptyDir: {} },
              { name: 'secret', secret: { secretName: 'db', defaultMode: 256 } },
              { name: 'cfg', configMap: { name: 'cfg' } },
            ],
            containers: [
              {
                name: 'app',
                image: 'nginx:1.27',
                args: ['--port=8080'],
                ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
                env: [
                  { name: 'MODE', value: 'fast' },
                  { name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
                ],
                envFrom: [{ configMapRef: { name: 'cfg', optional: true } }],
                resources: { limits: { memory: '128Mi' }, requests: { cpu: '250m' } },
                volumeMounts: [{ name: 'data', readOnly: true, mountPath: '/data' }],
                livenessProbe: {
                  httpGet: { path: '/healthz', port: 'http' },
                  initialDelaySeconds: 5,
                  periodSeconds: 10,
                },
                readinessProbe: { tcpSocket: { port: 8080 }, failureThreshold: 3 },
                lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
                imagePullPolicy: 'IfNotPresent',
                securityContext: {
                  capabilities: { drop: ['ALL'] },
                  runAsUser: 0,
                  runAsNonRoot: false,
                  allowPrivilegeEscalation: false,
                },
              },
            ],
            initContainers: [{ name: 'init', image: 'busybox', command: ['true'], resources: {} }],
            restartPolicy: 'Always',
            terminationGracePeriodSeconds: 30,
            dnsPolicy: 'ClusterFirst',
            nodeSelector: { disk: 'ssd' },
            serviceAccountName: 'robot',
            automountServiceAccountToken: false,
            securityContext: { runAsUser: 1000, runAsNonRoot: true, fsGroup: 2000 },
            imagePullSecrets: [{ name: 'regcred' }],
            tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }],
                },
              },
            },
          },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
        revisionHistoryLimit: 5,
        progressDeadlineSeconds: 600,
      },
      status: {},
    })
  })
})

describe('rarer fields of other kinds', () => {
  test('Ingress default backend by resource and a named service port', () => {
    const service = msg(len(1, 'web'), len(2, msg(len(1, 'http'))))
    const path = msg(len(2, msg(len(4, service))))
    const rule = msg(len(2, msg(len(1, msg(len(1, path))))))
    const resource = msg(len(1, 'k8s.example.com'), len(2, 'Bucket'), len(3, 'static'))
    const raw = msg(len(1, msg(len(1, 'ing'))), len(2, msg(len(1, msg(len(3, resource))), len(3, rule))))
    expect(decode('networking.k8s.io/v1', 'Ingress', raw).spec).toEqual({
      defaultBackend: { resource: { apiGroup: 'k8s.example.com', kind: 'Bucket', name: 'static' } },
      rules: [{ http: { paths: [{ backend: { service: { name: 'web', port: { name: 'http' } } } }] } }],
    })
  })

  test('SubjectAccessReview with user, groups, extra and a non-resource path', () => {
    const raw = msg(
      len(1, msg()),
      len(
        2,
        msg(
          len(2, msg(len(1, '/healthz'), len(2, 'get'))),
          len(3, 'alice'),
          len(4, 'devs'),
          entry(5, 'scopes', len(2, msg(len(1, 'a'), len(1, 'b')))),
          len(6, 'uid-1'),
        ),
      ),
    )
    expect(decode('authorization.k8s.io/v1', 'SubjectAccessReview', raw)).toEqual({
      kind: 'SubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: {},
      spec: {
        nonResourceAttributes: { path: '/healthz', verb: 'get' },
        user: 'alice',
        groups: ['devs'],
        extra: { scopes: ['a', 'b'] },
        uid: 'uid-1',
      },
    })
  })

  test('TokenRequest bound to a pod', () => {
    const raw = msg(len(2, msg(len(3, msg(len(1, 'Pod'), len(2, 'v1'), len(3, 'p'), len(4, 'pod-uid'))))))
    expect(decode('authentication.k8s.io/v1', 'TokenRequest', raw).spec).toEqual({
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'pod-uid' },
    })
  })

  test('PriorityClass value 0 and globalDefault are kept as JSON clients send them', () => {
    const raw = msg(len(1, msg(len(1, 'low'))), num(2, 0), num(3, true))
    expect(decode('scheduling.k8s.io/v1', 'PriorityClass', raw)).toEqual({
      kind: 'PriorityClass',
      apiVersion: 'scheduling.k8s.io/v1',
      metadata: { name: 'low' },
      value: 0,
      globalDefault: true,
    })
  })
})
