// End-to-end service proxy: our nftables ruleset in a throwaway node namespace, with real Docker pods as
// endpoints, reached from a pod, from the node itself and from a client on the node's LAN.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { join } from 'node:path'
import type { Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import { cleanupNetwork } from '../../src/agent/cleanup.ts'
import { type ProxySync, type ServiceSource, startProxy } from '../../src/agent/proxy/index.ts'
import { canRunNetworkE2E, httpGet, run } from './network-harness.ts'
import { BRIDGE, CLIENT_IP, CLUSTER_CIDR, NODE_IP, SERVICE_CIDR, startTestNode, type TestNode } from './network-node.ts'

// Real processes on a shared machine: generous per-test time (bun's default is 5 s).
setDefaultTimeout(60_000)

const enabled = canRunNetworkE2E('proxy e2e')

class MemorySource implements ServiceSource {
  services: Service[] = []
  endpointSlices: EndpointSlice[] = []
  list() {
    return { services: this.services, endpointSlices: this.endpointSlices }
  }
  onChange() {
    return () => {}
  }
}

const port = (extra: object = {}) => [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', ...extra }]
const svc = (name: string, spec: Service['spec'], status?: Service['status']): Service => ({
  metadata: { namespace: 'default', name },
  spec,
  ...(status ? { status } : {}),
})
const ep = (ip: string, nodeName: string) => ({ addresses: [ip], nodeName, conditions: { ready: true } })
const slice = (service: string, ips: string[]): EndpointSlice => ({
  metadata: { namespace: 'default', name: `${service}-x`, labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  endpoints: ips.map((ip) => ep(ip, 'node-a')),
})

/** Bodies seen over up to `tries` requests, stopping once `want` distinct ones were seen. */
async function bodies(prefix: string[], ip: string, p: number, tries: number, want = 99): Promise<Set<string>> {
  const seen = new Set<string>()
  for (let i = 0; i < tries && seen.size < want; i++) seen.add(await httpGet(prefix, ip, p))
  return seen
}

describe.skipIf(!enabled)('nftables service proxy with Docker pods', () => {
  let n: TestNode
  let proxy: ProxySync
  let dns: ReturnType<typeof Bun.spawn> & { stdout: ReadableStream<Uint8Array> }
  const source = new MemorySource()
  const table = `kubun-test-${Math.random().toString(16).slice(2, 8)}`

  beforeAll(async () => {
    n = await startTestNode()
    const { a, b } = n.pods
    source.services = [
      svc('web', { type: 'NodePort', clusterIP: '10.98.0.20', ports: port({ nodePort: 30080 }) }),
      svc('sticky', { clusterIP: '10.98.0.21', ports: port(), sessionAffinity: 'ClientIP' }),
      svc('empty', { clusterIP: '10.98.0.22', ports: port() }),
      svc('self', { clusterIP: '10.98.0.23', ports: port() }),
      svc('dns', {
        clusterIP: '10.98.0.30',
        ports: [{ name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP' }],
      }),
      svc('local', {
        type: 'NodePort',
        clusterIP: '10.98.0.25',
        externalTrafficPolicy: 'Local',
        ports: port({ nodePort: 30085 }),
      }),
      svc(
        'lb',
        {
          type: 'LoadBalancer',
          clusterIP: '10.98.0.24',
          loadBalancerSourceRanges: [`${CLIENT_IP}/32`],
          ports: port({ port: 9000, nodePort: 30090 }),
        },
        { loadBalancer: { ingress: [{ ip: NODE_IP }] } },
      ),
    ]
    source.endpointSlices = [
      slice('web', [a.ip, b.ip]),
      slice('sticky', [a.ip, b.ip]),
      slice('self', [a.ip]),
      slice('lb', [b.ip]),
      {
        ...slice('dns', [a.ip]),
        ports: [{ name: 'dns', port: 5353, protocol: 'UDP' }],
      },
      // Both pods run here, but the slice says b lives on another node: only a is local.
      { ...slice('local', [a.ip, b.ip]), endpoints: [ep(a.ip, 'node-a'), ep(b.ip, 'node-b')] },
    ]
    // A UDP DNS server inside pod a's network namespace (busybox has no UDP server).
    dns = Bun.spawn(
      [
        'nsenter',
        `--net=/proc/${a.pid}/ns/net`,
        '--',
        process.execPath,
        join(import.meta.dir, 'network-dns-responder.ts'),
        '5353',
      ],
      {
        stdout: 'pipe',
        stderr: 'inherit',
      },
    )
    n.cleanup.add(() => dns?.kill())
    const reader = dns.stdout.getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('ready')
    reader.releaseLock()
    proxy = await startProxy({
      source,
      node: { name: 'node-a', ips: [NODE_IP] },
      clusterCidr: CLUSTER_CIDR,
      serviceCidr: SERVICE_CIDR,
      netns: n.nodeNs,
      tableName: table,
    })
  }, 60_000)
  afterAll(async () => {
    proxy?.stop()
    await n?.cleanup.run()
  }, 60_000)

  test('pod → ClusterIP reaches both endpoints', async () => {
    expect(await bodies(n.inPod(n.pods.b.name), '10.98.0.20', 80, 30, 2)).toEqual(new Set(['pod-a', 'pod-b']))
  })

  test('node → ClusterIP (nat output)', async () => {
    expect(await bodies(n.onNode, '10.98.0.20', 80, 30, 2)).toEqual(new Set(['pod-a', 'pod-b']))
  })

  test('NodePort on the node IP from another machine, and from the node itself, reaches both endpoints', async () => {
    expect(await bodies(n.onClient, NODE_IP, 30080, 30, 2)).toEqual(new Set(['pod-a', 'pod-b']))
    expect(await bodies(n.onNode, NODE_IP, 30080, 30, 2)).toEqual(new Set(['pod-a', 'pod-b']))
  })

  test('LoadBalancer ingress IP (the node IP) and its NodePort; loadBalancerSourceRanges guard the LB IP', async () => {
    expect(await httpGet(n.onClient, NODE_IP, 9000)).toBe('pod-b')
    expect(await httpGet(n.onClient, NODE_IP, 30090)).toBe('pod-b')
    // The node's own address is not in the source ranges: dropped before DNAT. The NodePort stays open.
    expect(await httpGet(n.onNode, NODE_IP, 9000, 1)).toMatch(/timed out/i)
    expect(await httpGet(n.onNode, NODE_IP, 30090)).toBe('pod-b')
  })

  test('externalTrafficPolicy Local: outside clients reach only local endpoints, pods reach all', async () => {
    expect(await bodies(n.onClient, NODE_IP, 30085, 8)).toEqual(new Set(['pod-a']))
    expect(await bodies(n.inPod(n.pods.b.name), '10.98.0.25', 80, 30, 2)).toEqual(new Set(['pod-a', 'pod-b']))
  })

  test('UDP: a pod resolves a name through a DNS ClusterIP', async () => {
    const r = await run([...n.inPod(n.pods.b.name), 'busybox', 'nslookup', '-type=a', 'web.test', '10.98.0.30'], {
      allowFail: true,
    })
    expect(r.stdout).toContain('Address: 10.1.2.3')
  })

  test('a service without endpoints refuses connections', async () => {
    expect(await httpGet(n.inPod(n.pods.a.name), '10.98.0.22', 80)).toMatch(/refused/i)
    expect(await httpGet(n.onNode, '10.98.0.22', 80)).toMatch(/refused/i)
  })

  test('session affinity ClientIP pins a client to one endpoint', async () => {
    const seen = await bodies(n.inPod(n.pods.b.name), '10.98.0.21', 80, 10)
    expect(seen.size).toBe(1)
    expect(['pod-a', 'pod-b']).toContain([...seen][0])
  })

  test('hairpin: a pod reaches itself through its service', async () => {
    expect(await httpGet(n.inPod(n.pods.a.name), '10.98.0.23', 80)).toBe('pod-a')
  })

  test('an unallocated ClusterIP is dropped, a wrong port on a ClusterIP rejected', async () => {
    expect(await httpGet(n.inPod(n.pods.a.name), '10.98.0.99', 80, 1)).toMatch(/timed out/i)
    expect(await httpGet(n.inPod(n.pods.a.name), '10.98.0.20', 81)).toMatch(/refused/i)
  })

  test('an endpoint removed from the slice stops receiving traffic after a sync', async () => {
    source.endpointSlices = source.endpointSlices.map((s) =>
      s.metadata?.name === 'web-x' ? slice('web', [n.pods.a.ip]) : s,
    )
    await proxy.syncNow()
    expect(await bodies(n.inPod(n.pods.b.name), '10.98.0.20', 80, 8)).toEqual(new Set(['pod-a']))
    expect(proxy.lastError).toBeUndefined()
  })

  test('clean-up deletes the proxy table', async () => {
    proxy.stop()
    const done = await cleanupNetwork({ bridge: BRIDGE, netns: n.nodeNs, tables: [table] })
    expect(done).toContain(`removed nft table ip ${table}`)
    const tables = await run([...n.onNode, 'nft', 'list', 'tables'])
    expect(tables.stdout).not.toContain(table)
  })
})
