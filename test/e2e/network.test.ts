// End-to-end pod network: bridge + veth + IPAM on real Docker containers inside a throwaway node namespace.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { cleanupNetwork } from '../../src/agent/cleanup.ts'
import { hostVethName, PodNetwork } from '../../src/cni/index.ts'
import { canRunNetworkE2E, httpGet, run } from './network-harness.ts'
import {
  BRIDGE,
  CLIENT_IP,
  CLUSTER_CIDR,
  NODE_IP,
  POD_CIDR,
  SERVICE_CIDR,
  startTestNode,
  type TestNode,
} from './network-node.ts'

// Real processes on a shared machine: generous per-test time (bun's default is 5 s).
setDefaultTimeout(60_000)

const enabled = canRunNetworkE2E('network e2e')

describe.skipIf(!enabled)('pod network (bridge CNI) on Docker', () => {
  let n: TestNode
  beforeAll(async () => {
    n = await startTestNode()
  }, 60_000)
  afterAll(async () => {
    await n?.cleanup.run()
  }, 60_000)

  test('pods get distinct addresses from the podCIDR, gateway on the bridge', () => {
    expect(n.pods.a.ip).toBe('10.99.0.2')
    expect(n.pods.b.ip).toBe('10.99.0.3')
  })

  test('pod ↔ pod over the bridge, both directions', async () => {
    expect(await httpGet(n.inPod(n.pods.b.name), n.pods.a.ip, 8080)).toBe('pod-a')
    expect(await httpGet(n.inPod(n.pods.a.name), n.pods.b.ip, 8080)).toBe('pod-b')
  })

  test('node → pod', async () => {
    expect(await httpGet(n.onNode, n.pods.b.ip, 8080)).toBe('pod-b')
  })

  test('pod → outside the cluster is masqueraded (the client has no route back to pods)', async () => {
    const body = `client-${n.id}`
    await run([
      ...n.onClient,
      'sh',
      '-c',
      `mkdir -p /tmp/kbt-www-${n.id} && echo ${body} > /tmp/kbt-www-${n.id}/index.html`,
    ])
    const srv = Bun.spawn([
      ...n.onClient,
      'busybox',
      'httpd',
      '-f',
      '-p',
      `${CLIENT_IP}:8081`,
      '-h',
      `/tmp/kbt-www-${n.id}`,
    ])
    try {
      await Bun.sleep(100)
      expect(await httpGet(n.inPod(n.pods.a.name), CLIENT_IP, 8081)).toBe(body)
    } finally {
      srv.kill()
      await srv.exited
      await run(['rm', '-rf', `/tmp/kbt-www-${n.id}`])
    }
  })

  test('ensureHost repairs what an administrator flushed', async () => {
    await run([...n.onNode, 'nft', 'flush', 'ruleset'])
    await run([...n.onNode, 'ip', 'route', 'flush', 'proto', '77'])
    await n.net.ensureHost()
    expect((await run([...n.onNode, 'nft', 'list', 'table', 'ip', 'kubun-cni'])).stdout).toContain('masquerade')
    expect((await run([...n.onNode, 'ip', 'route', 'show', 'proto', '77'])).stdout).toContain(
      'unreachable 10.99.0.0/16',
    )
  })

  test('cluster addresses of unknown nodes never leave the node: unreachable route', async () => {
    const r = await run([...n.onNode, 'ip', 'route', 'get', '10.99.5.5'], { allowFail: true })
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/No route to host|unreachable/i)
    const svc = await run([...n.onNode, 'ip', 'route', 'get', '10.98.0.77'])
    expect(svc.stdout).toMatch(/^local 10\.98\.0\.77 dev lo/)
  })

  test('IPAM state on disk survives a restart: same addresses, no address twice', async () => {
    const again = await PodNetwork.setup({
      dataDir: n.dataDir,
      podCidr: POD_CIDR,
      clusterCidr: CLUSTER_CIDR,
      serviceCidr: SERVICE_CIDR,
      bridge: BRIDGE,
      netns: n.nodeNs,
    })
    expect(again.ipOf(n.pods.a.name)).toBe(n.pods.a.ip)
    expect(again.ipOf(n.pods.b.name)).toBe(n.pods.b.ip)
    expect(again.ipam.allocate('other')).toBe('10.99.0.4')
    again.ipam.release('other')
    expect(existsSync(join(n.dataDir, 'agent/cni/networks/kubun', n.pods.a.ip))).toBe(true)
    // setup is idempotent: pods kept their connectivity
    expect(await httpGet(n.inPod(n.pods.b.name), n.pods.a.ip, 8080)).toBe('pod-a')
  })

  test('hostPort: node address:hostPort reaches the pod from another machine, the node, other pods and itself', async () => {
    await n.net.add(n.pods.b.name, `/proc/${n.pods.b.pid}/ns/net`, 'eth0', {
      hostPorts: [{ hostPort: 8088, containerPort: 8080 }],
    })
    expect(await httpGet(n.onClient, NODE_IP, 8088)).toBe('pod-b')
    expect(await httpGet(n.onNode, NODE_IP, 8088)).toBe('pod-b')
    expect(await httpGet(n.inPod(n.pods.a.name), NODE_IP, 8088)).toBe('pod-b')
    expect(await httpGet(n.inPod(n.pods.b.name), NODE_IP, 8088)).toBe('pod-b')
  })

  test('attach is idempotent; remove deletes the veth and frees the address', async () => {
    const { ip } = await n.net.add(n.pods.b.name, `/proc/${n.pods.b.pid}/ns/net`)
    expect(ip).toBe(n.pods.b.ip)
    expect(await httpGet(n.inPod(n.pods.a.name), n.pods.b.ip, 8080)).toBe('pod-b')
    // A broken attachment (host veth gone) is rebuilt with a new MAC; the gratuitous ARP keeps pod a's cache right.
    await run([...n.onNode, 'ip', 'link', 'del', hostVethName(n.pods.b.name)])
    expect((await n.net.add(n.pods.b.name, `/proc/${n.pods.b.pid}/ns/net`)).ip).toBe(n.pods.b.ip)
    expect(await httpGet(n.inPod(n.pods.a.name), n.pods.b.ip, 8080)).toBe('pod-b')
    await n.net.remove(n.pods.b.name)
    const link = await run([...n.onNode, 'ip', 'link', 'show', hostVethName(n.pods.b.name)], { allowFail: true })
    expect(link.code).not.toBe(0)
    expect(n.net.ipOf(n.pods.b.name)).toBeUndefined()
    expect(await httpGet(n.onClient, NODE_IP, 8088)).toMatch(/refused/i)
    expect(await httpGet(n.inPod(n.pods.a.name), n.pods.b.ip, 8080, 1)).toStartWith('ERROR')
  })

  test('reconcile frees the address and veth of a sandbox that no longer exists', async () => {
    const ghost = 'ghost-sandbox'
    const ip = n.net.ipam.allocate(ghost)
    const veth = hostVethName(ghost)
    await run([...n.onNode, 'ip', 'link', 'add', veth, 'type', 'veth', 'peer', 'name', 'kbt-ghost'])
    await run([...n.onNode, 'ip', 'link', 'set', veth, 'master', BRIDGE])
    const r = await n.net.reconcile([n.pods.a.name])
    expect(r).toEqual({ freed: [ip], vethsRemoved: [veth] })
    expect((await run([...n.onNode, 'ip', 'link', 'show', veth], { allowFail: true })).code).not.toBe(0)
    expect(await httpGet(n.onNode, n.pods.a.ip, 8080)).toBe('pod-a')
  })

  test('cleanupNetwork removes bridge, veths, nft tables, routes and IPAM state', async () => {
    const done = await cleanupNetwork({ bridge: BRIDGE, netns: n.nodeNs, dataDir: n.dataDir })
    expect(done).toContain(`removed bridge ${BRIDGE}`)
    expect(done).toContain(`removed veth ${hostVethName(n.pods.a.name)}`)
    expect(done).toContain('removed nft table ip kubun-cni')
    expect((await run([...n.onNode, 'ip', 'link', 'show', BRIDGE], { allowFail: true })).code).not.toBe(0)
    expect((await run([...n.onNode, 'ip', 'route', 'show', 'proto', '77'])).stdout.trim()).toBe('')
    expect((await run([...n.onNode, 'ip', 'route', 'show', 'table', 'local', 'proto', '77'])).stdout.trim()).toBe('')
    expect((await run([...n.onNode, 'nft', 'list', 'tables'])).stdout.trim()).toBe('')
    expect(existsSync(join(n.dataDir, 'agent/cni'))).toBe(false)
    expect(await cleanupNetwork({ bridge: BRIDGE, netns: n.nodeNs })).toEqual([])
  })
})
