// The multi-node seam: two node namespaces on one link, each with its own bridge and podCIDR; syncPeers()
// routes each node's pod CIDR via the other (host-gw: via the node IP; vxlan: over flannel.1), and pods
// talk across nodes.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cleanupNetwork } from '../../src/agent/cleanup.ts'
import { PodNetwork } from '../../src/cni/index.ts'
import {
  buildBusyboxImage,
  Cleanup,
  canRunNetworkE2E,
  httpGet,
  httpPod,
  netns,
  rand,
  run,
  waitHttp,
} from './network-harness.ts'

// Real processes on a shared machine: generous per-test time (bun's default is 5 s).
setDefaultTimeout(60_000)

const enabled = canRunNetworkE2E('multi-node network e2e')

for (const backend of ['host-gw', 'vxlan'] as const)
  describe.skipIf(!enabled)(`${backend}: pods on two nodes`, () => {
    const cleanup = new Cleanup()
    const id = rand()
    const nodes = [
      { name: 'n1', ip: '192.168.78.11', podCidr: '10.99.1.0/24' },
      { name: 'n2', ip: '192.168.78.12', podCidr: '10.99.2.0/24' },
    ]
    const nets: PodNetwork[] = []
    const pods: { name: string; ip: string }[] = []

    beforeAll(async () => {
      try {
        const ns = [await netns(`kbt-n1-${id}`, cleanup), await netns(`kbt-n2-${id}`, cleanup)]
        await run([
          'ip',
          '-n',
          `kbt-n1-${id}`,
          'link',
          'add',
          'lan0',
          'type',
          'veth',
          'peer',
          'name',
          'lan0',
          'netns',
          ns[1],
        ])
        const image = await buildBusyboxImage(`kubun-test/netbox:${id}`, cleanup)
        for (const [i, n] of nodes.entries()) {
          await run(['ip', '-n', `kbt-${n.name}-${id}`, 'addr', 'add', `${n.ip}/24`, 'dev', 'lan0'])
          await run(['ip', '-n', `kbt-${n.name}-${id}`, 'link', 'set', 'lan0', 'up'])
          const dataDir = mkdtempSync(join(tmpdir(), `kbt-${n.name}-`))
          cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }))
          const net = await PodNetwork.setup({
            dataDir,
            podCidr: n.podCidr,
            clusterCidr: '10.99.0.0/16',
            serviceCidr: '10.98.0.0/16',
            bridge: 'kbt-cni0',
            netns: ns[i],
            backend,
            nodeIp: n.ip,
          })
          nets.push(net)
          const name = `kbt-${id}-${n.name}`
          const pid = await httpPod(image, name, `pod-on-${n.name}`, cleanup)
          const { ip } = await net.add(name, `/proc/${pid}/ns/net`)
          await waitHttp(['nsenter', `--net=${ns[i]}`, '--'], ip, 8080, `pod-on-${n.name}`)
          pods.push({ name, ip })
        }
      } catch (e) {
        await cleanup.run()
        throw e
      }
    }, 60_000)
    afterAll(() => cleanup.run(), 60_000)

    /** Node 1's routing decision for a pod of node 2: the unreachable route, or via node 2. */
    const routeOnN1 = async () => {
      const r = await run(['ip', '-n', `kbt-n1-${id}`, 'route', 'get', pods[1].ip], { allowFail: true })
      return r.code === 0 ? r.stdout.trim() : r.stderr.trim()
    }

    test('without peer routes, the other node’s pods are unreachable (never sent off-node)', async () => {
      expect(await routeOnN1()).toMatch(/No route to host/)
      expect(await httpGet(['docker', 'exec', pods[0].name], pods[1].ip, 8080, 1)).toStartWith('ERROR')
    })

    test('after syncPeers, pods reach each other across nodes in both directions', async () => {
      const peers = nodes.map((n, i) => ({ name: n.name, podCidr: n.podCidr, nodeIp: n.ip, vtepMac: nets[i].vtepMac }))
      for (const net of nets) await net.syncPeers(peers)
      expect(await routeOnN1()).toStartWith(
        backend === 'vxlan' ? `${pods[1].ip} via 10.99.2.0 dev flannel.1` : `${pods[1].ip} via ${nodes[1].ip} dev lan0`,
      )
      expect(await httpGet(['docker', 'exec', pods[0].name], pods[1].ip, 8080)).toBe('pod-on-n2')
      expect(await httpGet(['docker', 'exec', pods[1].name], pods[0].ip, 8080)).toBe('pod-on-n1')
    })

    test('pod MTU fits the backend', async () => {
      const r = await run(['docker', 'exec', pods[0].name, 'cat', '/sys/class/net/eth0/mtu'])
      expect(r.stdout.trim()).toBe(backend === 'vxlan' ? '1450' : '1500')
    })

    test('a node leaving takes its route with it', async () => {
      const plan = await nets[0].syncPeers([{ name: 'n1', podCidr: nodes[0].podCidr, nodeIp: nodes[0].ip }])
      expect(plan).toEqual({ replace: [], remove: ['10.99.2.0/24'] })
      expect(await routeOnN1()).toMatch(/No route to host/)
    })

    test('cleanupNetwork removes the bridge and, under vxlan, flannel.1', async () => {
      const done = await cleanupNetwork({ bridge: 'kbt-cni0', netns: `/run/netns/kbt-n1-${id}` })
      expect(done).toContain('removed bridge kbt-cni0')
      expect(done.includes('removed vxlan device flannel.1')).toBe(backend === 'vxlan')
    })
  })
