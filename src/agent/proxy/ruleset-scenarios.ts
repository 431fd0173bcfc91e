// Test data for the golden files in test/fixtures/nft: one scenario per behaviour of the generator.
import type { Service, ServicePort } from 'kubernetes-types/core/v1'
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1'
import type { ProxyNode, RulesetOptions } from './ruleset.ts'

export const node: ProxyNode = { name: 'node-a', ips: ['192.168.77.11'] }
export const opts: RulesetOptions = { clusterCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16' }

export function svc(name: string, spec: Service['spec'], status?: Service['status'], ns = 'default'): Service {
  return { metadata: { namespace: ns, name }, spec, ...(status ? { status } : {}) }
}
const http: ServicePort[] = [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }]
const httpEp: EndpointPort[] = [{ name: 'http', port: 8080, protocol: 'TCP' }]

export function slice(service: string, ports: EndpointPort[], endpoints: Endpoint[], suffix = 'a', ns = 'default') {
  return {
    metadata: { namespace: ns, name: `${service}-${suffix}`, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports,
    endpoints,
  } satisfies EndpointSlice
}
export const ep = (ip: string, nodeName = 'node-a', conditions?: Endpoint['conditions']): Endpoint => ({
  addresses: [ip],
  nodeName,
  ...(conditions ? { conditions } : {}),
})

export interface Scenario {
  name: string
  services: Service[]
  slices: EndpointSlice[]
  opts?: Partial<RulesetOptions>
}

export const scenarios: Scenario[] = [
  { name: 'empty', services: [], slices: [] },
  {
    name: 'clusterip-two-endpoints',
    services: [svc('web', { clusterIP: '10.43.0.20', ports: http })],
    slices: [slice('web', httpEp, [ep('10.42.0.5'), ep('10.42.1.7', 'node-b')])],
  },
  {
    name: 'no-endpoints-reject',
    services: [svc('web', { clusterIP: '10.43.0.20', ports: http })],
    slices: [slice('web', httpEp, [])],
  },
  {
    name: 'nodeport',
    services: [svc('web', { type: 'NodePort', clusterIP: '10.43.0.20', ports: [{ ...http[0], nodePort: 30080 }] })],
    slices: [slice('web', httpEp, [ep('10.42.0.5')])],
  },
  {
    name: 'loadbalancer-and-external-ips',
    services: [
      svc(
        'web',
        {
          type: 'LoadBalancer',
          clusterIP: '10.43.0.20',
          externalIPs: ['203.0.113.9'],
          ports: [{ ...http[0], nodePort: 31000 }],
        },
        { loadBalancer: { ingress: [{ ip: '192.168.77.11' }, { hostname: 'lb.example' }] } },
      ),
    ],
    slices: [slice('web', httpEp, [ep('10.42.0.5')])],
  },
  {
    name: 'loadbalancer-source-ranges',
    services: [
      svc(
        'web',
        {
          type: 'LoadBalancer',
          clusterIP: '10.43.0.20',
          loadBalancerSourceRanges: ['192.168.77.0/24', ' 203.0.113.0/28'],
          externalIPs: ['203.0.113.9'],
          ports: [{ ...http[0], nodePort: 31000 }],
        },
        { loadBalancer: { ingress: [{ ip: '192.168.77.11' }] } },
      ),
    ],
    slices: [slice('web', httpEp, [ep('10.42.0.5')])],
  },
  {
    name: 'session-affinity',
    services: [
      svc('web', {
        clusterIP: '10.43.0.20',
        ports: http,
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
      }),
    ],
    slices: [slice('web', httpEp, [ep('10.42.0.5'), ep('10.42.0.6')])],
  },
  {
    name: 'external-policy-local',
    services: [
      svc('web', {
        type: 'NodePort',
        clusterIP: '10.43.0.20',
        externalTrafficPolicy: 'Local',
        ports: [{ ...http[0], nodePort: 30080 }],
      }),
    ],
    slices: [slice('web', httpEp, [ep('10.42.0.5'), ep('10.42.1.7', 'node-b')])],
  },
  {
    name: 'external-policy-local-none-here',
    services: [
      svc('web', {
        type: 'NodePort',
        clusterIP: '10.43.0.20',
        externalTrafficPolicy: 'Local',
        ports: [{ ...http[0], nodePort: 30080 }],
      }),
    ],
    slices: [slice('web', httpEp, [ep('10.42.1.7', 'node-b')])],
  },
  {
    name: 'internal-policy-local',
    services: [
      svc('web', { clusterIP: '10.43.0.20', internalTrafficPolicy: 'Local', ports: http }),
      svc('far', { clusterIP: '10.43.0.21', internalTrafficPolicy: 'Local', ports: http }),
    ],
    slices: [
      slice('web', httpEp, [ep('10.42.0.5'), ep('10.42.1.7', 'node-b')]),
      slice('far', httpEp, [ep('10.42.1.8', 'node-b')]),
    ],
  },
  {
    name: 'named-target-ports',
    services: [
      svc('web', {
        clusterIP: '10.43.0.20',
        ports: [
          { name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' },
          { name: 'metrics', port: 9100, targetPort: 'metrics', protocol: 'TCP' },
        ],
      }),
    ],
    slices: [
      // Two pods that name their container ports alike but number them differently, as upstream allows.
      slice(
        'web',
        [
          { name: 'http', port: 8080, protocol: 'TCP' },
          { name: 'metrics', port: 9100, protocol: 'TCP' },
        ],
        [ep('10.42.0.5')],
        'a',
      ),
      slice(
        'web',
        [
          { name: 'http', port: 8081, protocol: 'TCP' },
          { name: 'metrics', port: 9101, protocol: 'TCP' },
        ],
        [ep('10.42.0.6')],
        'b',
      ),
    ],
  },
  {
    name: 'udp-and-sctp',
    services: [
      svc('dns', {
        clusterIP: '10.43.0.10',
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        ],
      }),
      svc('sig', { clusterIP: '10.43.0.30', ports: [{ name: 'sig', port: 3868, protocol: 'SCTP' }] }),
    ],
    slices: [
      slice(
        'dns',
        [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        ],
        [ep('10.42.0.3')],
      ),
      slice('sig', [{ name: 'sig', port: 3868, protocol: 'SCTP' }], [ep('10.42.0.4')]),
    ],
  },
  {
    name: 'terminating-fallback',
    services: [
      svc('web', { clusterIP: '10.43.0.20', ports: http }),
      svc('half', { clusterIP: '10.43.0.22', ports: http }),
    ],
    slices: [
      // No ready endpoint: serving+terminating ones are used, a not-serving one is not.
      slice('web', httpEp, [
        ep('10.42.0.5', 'node-a', { ready: false, serving: true, terminating: true }),
        ep('10.42.0.6', 'node-a', { ready: false, serving: false, terminating: true }),
      ]),
      // A ready endpoint exists: the terminating one is left out.
      slice('half', httpEp, [
        ep('10.42.0.7', 'node-a', { ready: true, serving: true, terminating: false }),
        ep('10.42.0.8', 'node-a', { ready: false, serving: true, terminating: true }),
      ]),
    ],
  },
  {
    name: 'masquerade-all',
    services: [svc('web', { clusterIP: '10.43.0.20', ports: http })],
    slices: [slice('web', httpEp, [ep('10.42.0.5')])],
    opts: { masqueradeAll: true, tableName: 'kubun-test' },
  },
  {
    name: 'skipped-and-sorted',
    services: [
      svc('zeta', { clusterIP: '10.43.0.40', ports: http }, undefined, 'b-ns'),
      svc('headless', { clusterIP: 'None', ports: http }),
      svc('ext', { type: 'ExternalName', externalName: 'example.com', ports: http }),
      svc('alpha', { clusterIP: '10.43.0.41', ports: http }, undefined, 'a-ns'),
    ],
    slices: [
      slice('zeta', httpEp, [ep('10.42.0.9'), ep('10.42.0.10')], 'a', 'b-ns'),
      // The same endpoint in two slices (a slice being replaced) is one endpoint.
      slice('zeta', httpEp, [ep('10.42.0.9')], 'b', 'b-ns'),
      slice('headless', httpEp, [ep('10.42.0.11')]),
      slice('alpha', httpEp, [ep('10.42.0.12')], 'a', 'a-ns'),
    ],
  },
]
