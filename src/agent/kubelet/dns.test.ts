import { describe, expect, test } from 'bun:test'
import type { Pod } from 'kubernetes-types/core/v1'
import { parseResolvConf, podHostsFile, podResolvConf } from './dns.ts'

const host = parseResolvConf(
  '# host\nnameserver 127.0.0.53\nnameserver 192.168.1.1\nsearch lan corp.example\noptions edns0\n',
)
const cluster = { servers: ['10.43.0.10'], domain: 'cluster.local' }
const pod = (spec: Partial<Pod['spec']> = {}): Pod => ({
  metadata: { name: 'web-1', namespace: 'shop' },
  spec: { containers: [], ...spec },
})

describe('podResolvConf', () => {
  test.each([
    [
      'ClusterFirst',
      pod(),
      'nameserver 10.43.0.10\nsearch shop.svc.cluster.local svc.cluster.local cluster.local lan corp.example\noptions ndots:5\n',
    ],
    [
      'Default uses the host file without loopback servers',
      pod({ dnsPolicy: 'Default' }),
      'nameserver 192.168.1.1\nsearch lan corp.example\noptions edns0\n',
    ],
    [
      'hostNetwork + ClusterFirst falls back to the host',
      pod({ hostNetwork: true }),
      'nameserver 192.168.1.1\nsearch lan corp.example\noptions edns0\n',
    ],
    [
      'ClusterFirstWithHostNet',
      pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }),
      'nameserver 10.43.0.10\nsearch shop.svc.cluster.local svc.cluster.local cluster.local lan corp.example\noptions ndots:5\n',
    ],
    [
      'None uses only dnsConfig',
      pod({
        dnsPolicy: 'None',
        dnsConfig: {
          nameservers: ['1.1.1.1'],
          searches: ['a.b'],
          options: [{ name: 'ndots', value: '2' }, { name: 'rotate' }],
        },
      }),
      'nameserver 1.1.1.1\nsearch a.b\noptions ndots:2 rotate\n',
    ],
    [
      'dnsConfig options override',
      pod({ dnsConfig: { options: [{ name: 'ndots', value: '1' }] } }),
      'nameserver 10.43.0.10\nsearch shop.svc.cluster.local svc.cluster.local cluster.local lan corp.example\noptions ndots:1\n',
    ],
  ])('%s', (_name, p, want) => {
    expect(podResolvConf(p, host, cluster)).toBe(want)
  })
})

test('hosts file has the pod IP, FQDN with subdomain, and hostAliases', () => {
  const text = podHostsFile(
    pod({ hostname: 'db-0', subdomain: 'db', hostAliases: [{ ip: '10.0.0.9', hostnames: ['foo', 'bar'] }] }),
    ['10.42.0.7'],
    'cluster.local',
  )
  expect(text).toContain('127.0.0.1\tlocalhost\n')
  expect(text).toContain('10.42.0.7\tdb-0.db.shop.svc.cluster.local\tdb-0\n')
  expect(text).toContain('10.0.0.9\tfoo\tbar\n')
})
