import { expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FakeClient } from '../../server/controllers/lib/fake-client.ts'
import { objectSource } from './object-source.ts'

const core = (resource: string, namespace?: string) => ({ group: '', version: 'v1', resource, namespace })

test('ConfigMaps (with binaryData) and Secrets decode; missing objects are undefined', async () => {
  const c = new FakeClient()
  await c.create(core('configmaps', 'ns'), { metadata: { name: 'cm' }, data: { a: '1' }, binaryData: { b: btoa('2') } })
  await c.create(core('secrets', 'ns'), { metadata: { name: 's' }, data: { p: btoa('pw') } })
  const src = objectSource(c)
  expect(await src.configMap('ns', 'cm')).toEqual({ a: '1', b: '2' })
  expect(await src.secret('ns', 's')).toEqual({ p: 'pw' })
  expect(await src.configMap('ns', 'nope')).toBeUndefined()
  src.stop()
})

test('a claim resolves to its bound hostPath/local PV, created when missing; unbound claims wait', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubun-pv-'))
  try {
    const c = new FakeClient()
    await c.create(core('persistentvolumes'), {
      metadata: { name: 'pv1' },
      spec: { hostPath: { path: join(dir, 'data') } },
    })
    await c.create(core('persistentvolumeclaims', 'ns'), { metadata: { name: 'bound' }, spec: { volumeName: 'pv1' } })
    await c.create(core('persistentvolumeclaims', 'ns'), { metadata: { name: 'pending' }, spec: {} })
    const src = objectSource(c)
    expect(await src.claimPath('ns', 'bound')).toBe(join(dir, 'data'))
    expect(existsSync(join(dir, 'data'))).toBe(true)
    const err = await src.claimPath('ns', 'pending').catch((e) => e)
    expect(err.message).toContain('is not bound yet')
    expect(err.reason).toBe('ContainerCreating')
    src.stop()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a bound claim is resolved once, not on every volume refresh', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubun-pv-'))
  try {
    const c = new FakeClient()
    await c.create(core('persistentvolumes'), { metadata: { name: 'pv1' }, spec: { local: { path: join(dir, 'd') } } })
    await c.create(core('persistentvolumeclaims', 'ns'), { metadata: { name: 'cl' }, spec: { volumeName: 'pv1' } })
    let gets = 0
    const counting = Object.assign(Object.create(c), {
      get: (...a: Parameters<FakeClient['get']>) => {
        gets++
        return c.get(...a)
      },
    })
    const src = objectSource(counting)
    for (let i = 0; i < 3; i++) expect(await src.claimPath('ns', 'cl')).toBe(join(dir, 'd'))
    expect(gets).toBe(2)
    src.stop()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
