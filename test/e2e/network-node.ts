// A test "node": its own network namespace with the pod bridge, linked to a "client" namespace as another
// machine on the LAN, and two Docker containers (root dockerd, --network none) wired in with our CNI.
// Nothing touches the host's own namespace except the containers and the image, all removed by clean-up.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PodNetwork } from '../../src/cni/index.ts'
import { buildBusyboxImage, Cleanup, httpPod, netns, rand, run, waitHttp } from './network-harness.ts'

export const NODE_IP = '192.168.77.11'
export const CLIENT_IP = '192.168.77.50'
export const POD_CIDR = '10.99.0.0/24'
export const CLUSTER_CIDR = '10.99.0.0/16'
export const SERVICE_CIDR = '10.98.0.0/16'
export const BRIDGE = 'kbt-cni0'

export interface TestNode {
  id: string
  nodeNs: string
  clientNs: string
  dataDir: string
  image: string
  net: PodNetwork
  pods: { a: { name: string; ip: string; pid: number }; b: { name: string; ip: string; pid: number } }
  /** argv prefix running a command in the node namespace / client namespace / a pod */
  onNode: string[]
  onClient: string[]
  inPod: (name: string) => string[]
  cleanup: Cleanup
}

export async function startTestNode(): Promise<TestNode> {
  const id = rand()
  const cleanup = new Cleanup()
  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'kbt-node-'))
    cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }))
    const nodeNs = await netns(`kbt-node-${id}`, cleanup)
    const clientNs = await netns(`kbt-client-${id}`, cleanup)
    // The LAN between node and client: a veth pair created inside the node namespace.
    await run([
      'ip',
      '-n',
      `kbt-node-${id}`,
      'link',
      'add',
      'lan0',
      'type',
      'veth',
      'peer',
      'name',
      'lan0',
      'netns',
      clientNs,
    ])
    await run(['ip', '-n', `kbt-node-${id}`, 'addr', 'add', `${NODE_IP}/24`, 'dev', 'lan0'])
    await run(['ip', '-n', `kbt-client-${id}`, 'addr', 'add', `${CLIENT_IP}/24`, 'dev', 'lan0'])
    await run(['ip', '-n', `kbt-node-${id}`, 'link', 'set', 'lan0', 'up'])
    await run(['ip', '-n', `kbt-client-${id}`, 'link', 'set', 'lan0', 'up'])

    const image = await buildBusyboxImage(`kubun-test/netbox:${id}`, cleanup)
    const net = await PodNetwork.setup({
      dataDir,
      podCidr: POD_CIDR,
      clusterCidr: CLUSTER_CIDR,
      serviceCidr: SERVICE_CIDR,
      bridge: BRIDGE,
      netns: nodeNs,
    })
    const pod = async (name: string, body: string) => {
      const pid = await httpPod(image, name, body, cleanup)
      const { ip } = await net.add(name, `/proc/${pid}/ns/net`)
      await waitHttp(['nsenter', `--net=${nodeNs}`, '--'], ip, 8080, body)
      return { name, ip, pid }
    }
    const [a, b] = [await pod(`kbt-${id}-a`, 'pod-a'), await pod(`kbt-${id}-b`, 'pod-b')]
    return {
      id,
      nodeNs,
      clientNs,
      dataDir,
      image,
      net,
      pods: { a, b },
      onNode: ['nsenter', `--net=${nodeNs}`, '--'],
      onClient: ['nsenter', `--net=${clientNs}`, '--'],
      inPod: (name) => ['docker', 'exec', name],
      cleanup,
    }
  } catch (e) {
    await cleanup.run()
    throw e
  }
}
