import { expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Pod } from 'kubernetes-types/core/v1'
import { apiDataVolumes, containerMounts, setUpVolumes, type VolumeSource } from './volumes.ts'

const src: VolumeSource = {
  configMap: async (_ns, n) => (n === 'cfg' ? { a: 'A', b: 'B' } : undefined),
  secret: async (_ns, n) => (n === 'sec' ? { pw: 'x' } : undefined),
  serviceAccountToken: async () => 'tok',
  claimPath: async () => '/pv',
  masterServiceIP: async () => undefined,
}
const info = { podIPs: ['10.42.0.5'], hostIPs: ['10.0.0.1'], nodeName: 'n', allocatable: { cpu: 1, memory: 1 } }

function setUp(volumes: Pod['spec'] extends infer S ? (S extends { volumes?: infer V } ? V : never) : never) {
  const dir = mkdtempSync(join(tmpdir(), 'kubun-vol-'))
  const tmpfs: string[] = []
  const mounter = {
    isMounted: () => false,
    mountTmpfs: async (p: string) => void tmpfs.push(p),
    unmount: async () => {},
  }
  const warnings: string[] = []
  const pod: Pod = {
    metadata: { name: 'web', namespace: 'ns', labels: { app: 'web' } },
    spec: { containers: [], volumes },
  }
  const run = () => setUpVolumes(pod, dir, src, mounter, info, (m) => warnings.push(m))
  return { dir, tmpfs, warnings, run, done: () => rmSync(dir, { recursive: true, force: true }) }
}

test('configMap items and modes, secret and projected on tmpfs, downwardAPI, emptyDir Memory on tmpfs', async () => {
  const s = setUp([
    { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'a', path: 'sub/a.txt', mode: 0o600 }] } },
    { name: 'sec', secret: { secretName: 'sec' } },
    { name: 'mem', emptyDir: { medium: 'Memory' } },
    { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
    {
      name: 'proj',
      projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { configMap: { name: 'cfg' } }] },
    },
  ])
  try {
    const paths = await s.run()
    expect(readFileSync(join(paths.get('cfg') as string, 'sub/a.txt'), 'utf8')).toBe('A')
    expect(statSync(join(paths.get('cfg') as string, 'sub/a.txt')).mode & 0o777).toBe(0o600)
    expect(readFileSync(join(paths.get('sec') as string, 'pw'), 'utf8')).toBe('x')
    expect(readFileSync(join(paths.get('info') as string, 'labels'), 'utf8')).toBe('app="web"')
    expect(readFileSync(join(paths.get('proj') as string, 'token'), 'utf8')).toBe('tok')
    expect(readFileSync(join(paths.get('proj') as string, 'b'), 'utf8')).toBe('B')
    expect(s.tmpfs.sort()).toEqual([paths.get('mem'), paths.get('proj'), paths.get('sec')].sort() as string[])
  } finally {
    s.done()
  }
})

test('a missing ConfigMap fails the mount unless optional', async () => {
  const s = setUp([{ name: 'cfg', configMap: { name: 'nope' } }])
  try {
    await expect(s.run()).rejects.toThrow('configmap "nope" not found')
  } finally {
    s.done()
  }
  const o = setUp([{ name: 'cfg', configMap: { name: 'nope', optional: true } }])
  try {
    await o.run()
  } finally {
    o.done()
  }
})

test('volumeMounts: subPath joined, read-only kept, unknown volume refused, escaping subPath refused', () => {
  const vols = new Map([['data', '/v/data']])
  expect(
    containerMounts({ name: 'c', volumeMounts: [{ name: 'data', mountPath: '/d', readOnly: true }] }, vols),
  ).toEqual([{ source: '/v/data', target: '/d', readOnly: true }])
  // A configMap/secret volume is read-only even when the mount asks for read-write.
  const pod = { spec: { containers: [], volumes: [{ name: 'cm', configMap: { name: 'x' } }, { name: 'data' }] } }
  expect(apiDataVolumes(pod)).toEqual(new Set(['cm']))
  const both = new Map([...vols, ['cm', '/v/cm']])
  const mounts = [
    { name: 'cm', mountPath: '/cm' },
    { name: 'data', mountPath: '/d' },
  ]
  expect(
    containerMounts({ name: 'c', volumeMounts: mounts }, both, apiDataVolumes(pod)).map((m) => m.readOnly),
  ).toEqual([true, false])
  expect(() => containerMounts({ name: 'c', volumeMounts: [{ name: 'x', mountPath: '/x' }] }, vols)).toThrow(
    'not defined',
  )
  expect(() =>
    containerMounts({ name: 'c', volumeMounts: [{ name: 'data', mountPath: '/x', subPath: '../../etc' }] }, vols),
  ).toThrow('leaves its volume')
})
