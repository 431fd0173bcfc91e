import { expect, test } from 'bun:test'
import { nodeObject } from './node-object.ts'

const machine = {
  hostname: 'pi',
  cpus: 4,
  memoryBytes: 8 * 2 ** 30,
  ephemeralStorageBytes: 100 * 2 ** 30,
  kernelVersion: '6.1.0',
  osImage: 'Debian GNU/Linux 12 (bookworm)',
  machineID: 'm',
  bootID: 'b',
  arch: 'arm64',
}

test('node object: capacity, labels, control-plane role, taints, nodeInfo, kubelet port', () => {
  const n = nodeObject(
    {
      name: 'pi',
      machine,
      nodeIP: '192.168.1.5',
      runtimeVersion: 'docker://24.0.7',
      labels: { zone: 'a' },
      taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }],
      controlPlane: true,
    },
    0,
  )
  expect(n.status?.capacity).toEqual({ cpu: '4', memory: '8388608Ki', pods: '110', 'ephemeral-storage': '104857600Ki' })
  expect(n.status?.allocatable).toEqual(n.status?.capacity)
  expect(n.metadata?.labels).toMatchObject({
    'kubernetes.io/hostname': 'pi',
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'arm64',
    'node-role.kubernetes.io/control-plane': 'true',
    zone: 'a',
  })
  expect(n.spec?.taints).toEqual([{ key: 'k', value: 'v', effect: 'NoSchedule' }])
  expect(n.status?.addresses).toEqual([
    { type: 'InternalIP', address: '192.168.1.5' },
    { type: 'Hostname', address: 'pi' },
  ])
  expect(n.status?.nodeInfo).toMatchObject({
    containerRuntimeVersion: 'docker://24.0.7',
    architecture: 'arm64',
    operatingSystem: 'linux',
  })
  expect(n.status?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
    'MemoryPressure=False',
    'DiskPressure=False',
    'PIDPressure=False',
    'Ready=True',
  ])
  expect(n.status?.daemonEndpoints?.kubeletEndpoint?.Port).toBe(10250)
})

test('Ready turns False with the reason while the runtime is unhealthy', async () => {
  const { nodeConditions } = await import('./node-object.ts')
  const ready = nodeConditions(0, 0, 'container runtime is down: cannot reach Docker').find((c) => c.type === 'Ready')
  expect(ready).toMatchObject({
    status: 'False',
    reason: 'KubeletNotReady',
    message: 'container runtime is down: cannot reach Docker',
  })
  expect(nodeConditions(0, 0).find((c) => c.type === 'Ready')?.status).toBe('True')
})
