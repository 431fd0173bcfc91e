import { expect, test } from 'bun:test'
import { cniNatRuleset } from './firewall.ts'
import { planPeerRoutes } from './routes.ts'

const o = { clusterCidr: '10.42.0.0/16', ownPodCidr: '10.42.0.0/24' }

test.each([
  [
    'adds a route per peer, not for this node',
    [
      { name: 'n0', podCidr: '10.42.0.0/24', nodeIp: '192.168.1.10' },
      { name: 'n2', podCidr: '10.42.2.0/24', nodeIp: '192.168.1.12' },
      { name: 'n1', podCidr: '10.42.1.0/24', nodeIp: '192.168.1.11' },
    ],
    [],
    {
      replace: [
        { dst: '10.42.1.0/24', gateway: '192.168.1.11' },
        { dst: '10.42.2.0/24', gateway: '192.168.1.12' },
      ],
      remove: [],
    },
  ],
  [
    'keeps correct routes, moves a changed gateway, removes departed nodes',
    [
      { name: 'n1', podCidr: '10.42.1.0/24', nodeIp: '192.168.1.11' },
      { name: 'n2', podCidr: '10.42.2.0/24', nodeIp: '192.168.1.99' },
    ],
    [
      { dst: '10.42.1.0/24', gateway: '192.168.1.11' },
      { dst: '10.42.2.0/24', gateway: '192.168.1.12' },
      { dst: '10.42.3.0/24', gateway: '192.168.1.13' },
    ],
    { replace: [{ dst: '10.42.2.0/24', gateway: '192.168.1.99' }], remove: ['10.42.3.0/24'] },
  ],
  [
    'ignores nodes without a podCIDR yet and CIDRs outside the cluster CIDR',
    [
      { name: 'n1', podCidr: '', nodeIp: '192.168.1.11' },
      { name: 'bad', podCidr: '192.168.0.0/24', nodeIp: '192.168.1.12' },
    ],
    [],
    { replace: [], remove: [] },
  ],
])('planPeerRoutes: %s', (_, peers, current, want) => {
  expect(planPeerRoutes(peers, current, o)).toEqual(want)
})

test('pod egress NAT masquerades only beyond the cluster CIDR, replacing the table atomically', () => {
  expect(cniNatRuleset({ podCidr: '10.42.0.0/24', clusterCidr: '10.42.0.0/16' })).toBe(
    [
      'add table ip kubun-cni',
      'flush table ip kubun-cni',
      'add chain ip kubun-cni postrouting { type nat hook postrouting priority 100 ; }',
      'add rule ip kubun-cni postrouting ip saddr 10.42.0.0/24 ip daddr != 10.42.0.0/16 ip daddr != 224.0.0.0/4 masquerade',
      '',
    ].join('\n'),
  )
})
