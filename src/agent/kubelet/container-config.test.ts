import { describe, expect, test } from 'bun:test'
import type { Container, Pod } from 'kubernetes-types/core/v1'
import { containerConfig, dockerResources } from './container-config.ts'

describe('dockerResources (node.md formulas)', () => {
  test.each([
    [{}, { cpuShares: 2 }],
    [{ requests: { cpu: '250m' } }, { cpuShares: 256 }],
    [
      { limits: { cpu: '500m', memory: '64Mi' } },
      { cpuShares: 512, cpuQuota: 50_000, cpuPeriod: 100_000, memory: 64 * 2 ** 20 },
    ],
    [
      { requests: { cpu: '1m' }, limits: { cpu: '5m' } },
      { cpuShares: 2, cpuQuota: 1000, cpuPeriod: 100_000 },
    ],
  ])('%j', (resources, want) => {
    expect(dockerResources({ name: 'c', resources } as Container)).toEqual(want)
  })
})

const pod: Pod = {
  metadata: { name: 'web', namespace: 'default', uid: 'u1' },
  spec: { containers: [], shareProcessNamespace: true, securityContext: { runAsUser: 1000, fsGroup: 2000 } },
}

test('container joins the sandbox and gets command, args, env, user and mounts', () => {
  const cfg = containerConfig({
    pod,
    container: {
      name: 'app',
      image: 'busybox',
      command: ['sh', '-c'],
      args: ['echo $(GREETING) $$(X)'],
      securityContext: {
        runAsGroup: 3000,
        capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
        readOnlyRootFilesystem: true,
      },
    },
    kind: 'app',
    restartCount: 2,
    sandboxId: 'sb',
    env: new Map([['GREETING', 'hi']]),
    mounts: [{ source: '/v/data', target: '/data' }],
    hostsPath: '/p/etc-hosts',
    resolvPath: '/p/resolv.conf',
  })
  expect(cfg.name).toBe('k8s_app_web_default_u1_2')
  expect(cfg.networkMode).toBe('container:sb')
  expect(cfg.ipcMode).toBe('container:sb')
  expect(cfg.pidMode).toBe('container:sb')
  expect(cfg.entrypoint).toEqual(['sh', '-c'])
  expect(cfg.cmd).toEqual(['echo hi $(X)'])
  expect(cfg.env).toEqual(['GREETING=hi'])
  expect(cfg.user).toBe('1000:3000')
  expect(cfg.groupAdd).toEqual(['2000'])
  expect(cfg.capAdd).toEqual(['NET_ADMIN'])
  expect(cfg.readonlyRootfs).toBe(true)
  expect(cfg.labels['io.kubernetes.container.restartCount']).toBe('2')
  expect(cfg.mounts?.map((m) => m.target)).toEqual(['/data', '/etc/hosts', '/etc/resolv.conf'])
})
