import { describe, expect, test } from 'bun:test'
import { builtinRegistry } from '../index.ts'

const reg = builtinRegistry()
/** Defaults then validation, as the API server runs them; returns `field: message` lines. */
function check(group: string, kind: string, obj: any, old?: any): string[] {
  const def = reg.byKind(group, kind)!
  def.defaults?.(obj)
  if (old) def.defaults?.(old)
  return def.validate!(obj, old).map((e) => `${e.field}: ${e.message}`)
}
const container = (over: any = {}) => ({ name: 'c', image: 'nginx', ...over })
const deployment = (over: (d: any) => void = () => {}) => {
  const d: any = {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container()] } },
    },
  }
  over(d)
  return d
}

describe('metadata', () => {
  const cases: [string, any, string[]][] = [
    ['valid', { metadata: { name: 'a.b-c', namespace: 'default' } }, []],
    [
      'uppercase name',
      { metadata: { name: 'Web', namespace: 'default' } },
      [
        "metadata.name: Invalid value: \"Web\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ],
    ],
    [
      'no name',
      { metadata: { namespace: 'default' } },
      ['metadata.name: Required value: name or generateName is required'],
    ],
    ['generateName ending in dash', { metadata: { generateName: 'web-', namespace: 'default' } }, []],
    [
      'bad label key',
      { metadata: { name: 'a', namespace: 'default', labels: { 'a b': 'x' } } },
      [
        "metadata.labels: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ],
    ],
    [
      'bad label value',
      { metadata: { name: 'a', namespace: 'default', labels: { a: '-x' } } },
      [
        "metadata.labels: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ],
    ],
  ]
  for (const [name, obj, want] of cases) test(name, () => expect(check('', 'ConfigMap', obj)).toEqual(want))

  test('namespace names are DNS labels', () => {
    expect(check('', 'Namespace', { metadata: { name: 'a.b' } })[0]).toStartWith(
      'metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label must consist of',
    )
  })
  test('cluster-scoped kinds refuse a namespace', () => {
    expect(check('', 'Namespace', { metadata: { name: 'a', namespace: 'x' } })).toEqual([
      'metadata.namespace: Forbidden: not allowed on this type',
    ])
  })
  test('service names must start with a letter (DNS-1035)', () => {
    const errs = check('', 'Service', { metadata: { name: '1svc', namespace: 'd' }, spec: { ports: [{ port: 80 }] } })
    expect(errs[0]).toStartWith('metadata.name: Invalid value: "1svc": a DNS-1035 label must consist of')
  })
  test('RBAC names may contain colons', () => {
    expect(check('rbac.authorization.k8s.io', 'ClusterRole', { metadata: { name: 'system:controller:x' } })).toEqual([])
  })
})

describe('Pod', () => {
  const pod = (spec: any) => ({ metadata: { name: 'p', namespace: 'default' }, spec })
  const cases: [string, any, string[]][] = [
    ['valid', { containers: [container()] }, []],
    ['no containers', { containers: [] }, ['spec.containers: Required value']],
    [
      'missing image and name',
      { containers: [{}] },
      ['spec.containers[0].name: Required value', 'spec.containers[0].image: Required value'],
    ],
    ['duplicate names', { containers: [container(), container()] }, ['spec.containers[1].name: Duplicate value: "c"']],
    [
      'bad restartPolicy',
      { containers: [container()], restartPolicy: 'Sometimes' },
      ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ],
    [
      'port out of range',
      { containers: [container({ ports: [{ containerPort: 70000 }] })] },
      ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ],
    [
      'request above limit',
      {
        containers: [
          container({ resources: { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '1500m', memory: '2Gi' } } }),
        ],
      },
      [
        'spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1500m',
      ],
    ],
    [
      'extended resource request must equal its limit',
      {
        containers: [
          container({ resources: { requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '2' } } }),
        ],
      },
      [
        'spec.containers[0].resources.requests[nvidia.com/gpu]: Invalid value: "1": must be equal to nvidia.com/gpu limit of 2',
      ],
    ],
    [
      'request at the limit',
      { containers: [container({ resources: { requests: { cpu: '1' }, limits: { cpu: '1000m' } } })] },
      [],
    ],
    [
      'unknown volume mount',
      { containers: [container({ volumeMounts: [{ name: 'v', mountPath: '/x' }] })] },
      ['spec.containers[0].volumeMounts[0].name: Not found: "v"'],
    ],
  ]
  for (const [name, spec, want] of cases) test(name, () => expect(check('', 'Pod', pod(spec))).toEqual(want))

  test('image may change on update, other spec fields may not', () => {
    // As `kubectl set image` does: the stored (defaulted) object with a new image.
    const old = pod({ containers: [container()] })
    check('', 'Pod', old)
    const updated = structuredClone(old)
    updated.spec.containers[0].image = 'nginx:2'
    expect(check('', 'Pod', updated, old)).toEqual([])
    expect(
      check('', 'Pod', pod({ containers: [container({ args: ['x'] })] }), pod({ containers: [container()] }))[0],
    ).toStartWith('spec: Forbidden: pod updates may not change fields')
  })
})

describe('Deployment', () => {
  const cases: [string, (d: any) => void, string[]][] = [
    ['valid', () => {}, []],
    ['no selector', (d) => delete d.spec.selector, ['spec.selector: Required value']],
    [
      'selector mismatch',
      (d) => (d.spec.selector.matchLabels.app = 'other'),
      [
        'spec.template.metadata.labels: Invalid value: "map[string]string{\\"app\\":\\"web\\"}": `selector` does not match template `labels`',
      ],
    ],
    [
      'negative replicas',
      (d) => (d.spec.replicas = -1),
      ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'restartPolicy Never',
      (d) => (d.spec.template.spec.restartPolicy = 'Never'),
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ],
    [
      'maxSurge and maxUnavailable both 0',
      (d) => (d.spec.strategy = { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }),
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
    ],
  ]
  for (const [name, mutate, want] of cases)
    test(name, () => expect(check('apps', 'Deployment', deployment(mutate))).toEqual(want))

  test('selector is immutable', () => {
    const errs = check(
      'apps',
      'Deployment',
      deployment((d) => {
        d.spec.selector.matchLabels.tier = 'x'
        d.spec.template.metadata.labels.tier = 'x'
      }),
      deployment(),
    )
    expect(errs).toHaveLength(1)
    expect(errs[0]).toStartWith('spec.selector: Invalid value:')
    expect(errs[0]).toEndWith('field is immutable')
  })
})

describe('Job and CronJob', () => {
  const job = (restartPolicy?: string) => ({
    metadata: { name: 'j', namespace: 'default', uid: 'u' },
    spec: { template: { spec: { restartPolicy, containers: [container()] } } },
  })
  test('valid job', () => expect(check('batch', 'Job', job('Never'))).toEqual([]))
  test('job needs OnFailure or Never: the defaulted Always is refused once, as upstream', () => {
    expect(check('batch', 'Job', job())).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ])
  })
  const cron = (schedule: any) => ({
    metadata: { name: 'c', namespace: 'default' },
    spec: {
      schedule,
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [container()] } } } },
    },
  })
  const schedules: [any, string[]][] = [
    ['*/5 * * * *', []],
    ['@hourly', []],
    ['0 9 * * mon-fri', []],
    [undefined, ['spec.schedule: Required value']],
    ['* * *', ['spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: * * *']],
    ['61 * * * *', ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61']],
    [
      'TZ=UTC * * * * *',
      [
        'spec.schedule: Invalid value: "TZ=UTC * * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
      ],
    ],
  ]
  for (const [s, want] of schedules)
    test(`schedule ${s}`, () => expect(check('batch', 'CronJob', cron(s))).toEqual(want))
})

describe('Service', () => {
  const svc = (spec: any) => ({ metadata: { name: 's', namespace: 'default' }, spec })
  const cases: [string, any, string[]][] = [
    ['valid', { ports: [{ port: 80 }], selector: { app: 'x' } }, []],
    ['no ports', {}, ['spec.ports: Required value']],
    ['headless without ports', { clusterIP: 'None' }, []],
    ['ExternalName', { type: 'ExternalName', externalName: 'example.com' }, []],
    ['two unnamed ports', { ports: [{ port: 80, name: 'a' }, { port: 81 }] }, ['spec.ports[1].name: Required value']],
    [
      'nodePort on ClusterIP',
      { ports: [{ port: 80, nodePort: 30001 }] },
      ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ],
    [
      'bad type',
      { type: 'Magic', ports: [{ port: 80 }] },
      [
        'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      ],
    ],
  ]
  for (const [name, spec, want] of cases) test(name, () => expect(check('', 'Service', svc(spec))).toEqual(want))
  test('clusterIP is immutable', () => {
    expect(
      check(
        '',
        'Service',
        svc({ ports: [{ port: 80 }], clusterIP: '10.43.0.9' }),
        svc({ ports: [{ port: 80 }], clusterIP: '10.43.0.8' }),
      ),
    ).toEqual(['spec.clusterIP: Invalid value: "10.43.0.9": field is immutable'])
  })
})

describe('ConfigMap and Secret', () => {
  test('bad configmap key', () => {
    expect(check('', 'ConfigMap', { metadata: { name: 'c', namespace: 'd' }, data: { 'a b': 'x' } })[0]).toStartWith(
      'data[a b]: Invalid value: "a b": a valid config key must consist of',
    )
  })
  test('tls secret needs its keys', () => {
    expect(
      check('', 'Secret', { metadata: { name: 's', namespace: 'd' }, type: 'kubernetes.io/tls', data: {} }),
    ).toEqual(['data[tls.crt]: Required value', 'data[tls.key]: Required value'])
  })
  test('secret type is immutable', () => {
    const s = (type: string) => ({ metadata: { name: 's', namespace: 'd' }, type, data: { 'ssh-privatekey': 'eA==' } })
    expect(check('', 'Secret', s('kubernetes.io/ssh-auth'), s('Opaque'))).toEqual([
      'type: Invalid value: "kubernetes.io/ssh-auth": field is immutable',
    ])
  })
  test('immutable configmap data cannot change', () => {
    const c = (v: string) => ({ metadata: { name: 'c', namespace: 'd' }, immutable: true, data: { a: v } })
    expect(check('', 'ConfigMap', c('2'), c('1'))).toEqual([
      'data: Forbidden: field is immutable when `immutable` is set',
    ])
  })
})

describe('other kinds', () => {
  const m = { name: 'x', namespace: 'd' }
  test('ingress paths need a pathType', () => {
    const ing = {
      metadata: m,
      spec: {
        rules: [
          {
            host: 'a.example.com',
            http: { paths: [{ path: '/', backend: { service: { name: 's', port: { number: 80 } } } }] },
          },
        ],
      },
    }
    expect(check('networking.k8s.io', 'Ingress', ing)).toEqual([
      'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
    ])
  })
  test('PVC needs access modes and a storage request', () => {
    expect(check('', 'PersistentVolumeClaim', { metadata: m, spec: {} })).toEqual([
      'spec.accessModes: Required value: at least 1 access mode is required',
      'spec.resources[storage]: Required value',
    ])
  })
  test('roleRef cannot change', () => {
    const rb = (name: string) => ({
      metadata: m,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'User', name: 'u' }],
    })
    expect(check('rbac.authorization.k8s.io', 'RoleBinding', rb('view'), rb('edit'))[0]).toEndWith(
      'cannot change roleRef',
    )
  })
  test('PriorityClass value is immutable', () => {
    const pc = (value: number) => ({ metadata: { name: 'high' }, value })
    expect(check('scheduling.k8s.io', 'PriorityClass', pc(2), pc(1))).toEqual([
      'value: Forbidden: may not be changed in an update.',
    ])
  })
  test('HPA max below min', () => {
    const hpa = {
      metadata: m,
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 3, maxReplicas: 2 },
    }
    expect(check('autoscaling', 'HorizontalPodAutoscaler', hpa)).toEqual([
      'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
    ])
  })
})

describe('statefulset', () => {
  const sts = (claims: string[]) => ({
    metadata: { name: 'db', namespace: 'default' },
    spec: {
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: {
        metadata: { labels: { app: 'db' } },
        spec: { containers: [container({ volumeMounts: [{ name: 'data', mountPath: '/data' }] })] },
      },
      volumeClaimTemplates: claims.map((name) => ({ metadata: { name }, spec: { accessModes: ['ReadWriteOnce'] } })),
    },
  })
  test('containers may mount a volumeClaimTemplate by name', () => {
    expect(check('apps', 'StatefulSet', sts(['data']))).toEqual([])
  })
  test('a mount of neither a volume nor a claim template is not found', () => {
    expect(check('apps', 'StatefulSet', sts(['other']))).toEqual([
      'spec.template.spec.containers[0].volumeMounts[0].name: Not found: "data"',
    ])
  })
})

describe('configmap binaryData', () => {
  const cm = (binaryData: Record<string, string>) => ({ metadata: { name: 'c', namespace: 'default' }, binaryData })
  test('must be base64', () => {
    expect(check('', 'ConfigMap', cm({ a: 'eA==' }))).toEqual([])
    expect(check('', 'ConfigMap', cm({ a: '%%%%' }))).toEqual([
      'binaryData[a]: Invalid value: "<binary data>": illegal base64 data',
    ])
  })
})
