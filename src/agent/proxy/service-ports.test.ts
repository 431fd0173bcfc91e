import { describe, expect, test } from 'bun:test'
import type { Endpoint as SliceEndpoint } from 'kubernetes-types/discovery/v1'
import { ep, slice, svc } from './ruleset-scenarios.ts'
import { servicePorts } from './service-ports.ts'

const ports = [{ name: 'http', port: 80 }]
const httpEp = [{ name: 'http', port: 8080 }]
const pick = (endpoints: SliceEndpoint[]) => {
  const [sp] = servicePorts(
    [svc('web', { clusterIP: '10.43.0.20', ports })],
    [slice('web', httpEp, endpoints)],
    'node-a',
  )
  return { cluster: sp.clusterEndpoints.map((e) => e.ip), local: sp.localEndpoints.map((e) => e.ip) }
}

describe('endpoint choice (kube-proxy: ready, else serving+terminating)', () => {
  test.each([
    ['conditions unset count as ready', [ep('10.42.0.5')], ['10.42.0.5'], ['10.42.0.5']],
    [
      'not ready is left out',
      [ep('10.42.0.5'), ep('10.42.0.6', 'node-a', { ready: false, serving: false })],
      ['10.42.0.5'],
      ['10.42.0.5'],
    ],
    [
      'terminating fallback only when nothing is ready',
      [ep('10.42.0.6', 'node-a', { ready: false, serving: true, terminating: true })],
      ['10.42.0.6'],
      ['10.42.0.6'],
    ],
    [
      'local choice is made among local endpoints',
      [ep('10.42.1.5', 'node-b'), ep('10.42.0.6', 'node-a', { ready: false, serving: true, terminating: true })],
      ['10.42.1.5'],
      ['10.42.0.6'],
    ],
    [
      'sorted by address',
      [ep('10.42.0.10'), ep('10.42.0.9')],
      ['10.42.0.9', '10.42.0.10'],
      ['10.42.0.9', '10.42.0.10'],
    ],
  ])('%s', (_, endpoints, cluster, local) => {
    expect(pick(endpoints)).toEqual({ cluster, local })
  })
})

test('ports match by name and protocol; IPv6 slices and other services’ slices are ignored', () => {
  const services = [
    svc('web', {
      clusterIP: '10.43.0.20',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'http', port: 80 },
      ],
    }),
  ]
  const slices = [
    slice('web', [{ name: 'dns', port: 5353, protocol: 'TCP' }], [ep('10.42.0.1')], 'tcp-only'),
    slice('web', [{ name: 'http', port: 8080 }], [ep('10.42.0.2')], 'a'),
    { ...slice('web', [{ name: 'http', port: 8080 }], [ep('fd00::2')], 'v6'), addressType: 'IPv6' },
    slice('other', [{ name: 'http', port: 9090 }], [ep('10.42.0.3')], 'a'),
  ]
  const out = servicePorts(services, slices, 'node-a')
  expect(out.map((p) => [p.key, p.clusterEndpoints.map((e) => `${e.ip}:${e.port}`)])).toEqual([
    ['default/web/tcp/http', ['10.42.0.2:8080']],
    ['default/web/udp/dns', []],
  ])
})

test('NodePorts only for NodePort and LoadBalancer; LB ingress IPs only for LoadBalancer', () => {
  const out = servicePorts(
    [
      svc('a', { type: 'ClusterIP', clusterIP: '10.43.0.1', ports: [{ port: 80, nodePort: 30001 }] }),
      svc(
        'b',
        { type: 'NodePort', clusterIP: '10.43.0.2', ports: [{ port: 80, nodePort: 30002 }] },
        { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
      ),
      svc(
        'c',
        { type: 'LoadBalancer', clusterIP: '10.43.0.3', ports: [{ port: 80, nodePort: 30003 }] },
        { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
      ),
    ],
    [],
    'node-a',
  )
  expect(out.map((p) => [p.name, p.nodePort, p.externalIPs])).toEqual([
    ['a', undefined, []],
    ['b', 30002, []],
    ['c', 30003, ['1.2.3.4']],
  ])
})
