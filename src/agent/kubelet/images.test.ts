import { describe, expect, test } from 'bun:test'
import { FakeRuntime } from '../runtime/fake.ts'
import { ensureImage, ImageError, pullPolicy, registryAuth } from './images.ts'

test.each([
  ['busybox', undefined, 'Always'],
  ['busybox:latest', undefined, 'Always'],
  ['busybox:1.36', undefined, 'IfNotPresent'],
  ['reg.local:5000/app', undefined, 'Always'],
  ['busybox:1.36', 'Never', 'Never'],
])('pullPolicy(%s, %s) = %s', (image, policy, want) => {
  expect(pullPolicy({ name: 'c', image, imagePullPolicy: policy })).toBe(want)
})

test('registryAuth picks the secret for the image registry (username/password or auth)', () => {
  const secrets = [
    {
      '.dockerconfigjson': JSON.stringify({
        auths: { 'reg.local:5000': { auth: Buffer.from('u:p:w').toString('base64') } },
      }),
    },
    {
      '.dockerconfigjson': JSON.stringify({
        auths: { 'https://index.docker.io/v1/': { username: 'd', password: 'x' } },
      }),
    },
  ]
  expect(registryAuth('reg.local:5000/app:1', secrets)).toEqual({
    username: 'u',
    password: 'p:w',
    serveraddress: 'reg.local:5000',
  })
  expect(registryAuth('library/busybox', secrets)?.username).toBe('d')
  expect(registryAuth('other.io/x', secrets)).toBeUndefined()
})

describe('ensureImage', () => {
  const rt = new FakeRuntime()
  rt.images.add('here:1')
  const events: string[] = []
  const ev = { normal: (r: string) => events.push(r), warning: (r: string) => events.push(`!${r}`) }
  const none = async () => []

  test('IfNotPresent with a local image needs no registry', async () => {
    await ensureImage(rt, { name: 'c', image: 'here:1' }, none, ev, 0)
    expect(events.at(-1)).toBe('Pulled')
  })

  test('Never with a missing image: ErrImageNeverPull', async () => {
    const e = await ensureImage(rt, { name: 'c', image: 'gone:1', imagePullPolicy: 'Never' }, none, ev, 0).catch(
      (x) => x,
    )
    expect(e).toBeInstanceOf(ImageError)
    expect(e.waiting.reason).toBe('ErrImageNeverPull')
  })

  test('a failed pull: ErrImagePull first, ImagePullBackOff after', async () => {
    const first = await ensureImage(rt, { name: 'c', image: 'gone:1' }, none, ev, 0).catch((x) => x)
    expect(first.waiting.reason).toBe('ErrImagePull')
    expect(first.waiting.message).toContain('agent/images')
    const again = await ensureImage(rt, { name: 'c', image: 'gone:1' }, none, ev, 1).catch((x) => x)
    expect(again.waiting.reason).toBe('ImagePullBackOff')
  })

  test('Always with a local copy and no registry uses the local image with a warning', async () => {
    await ensureImage(rt, { name: 'c', image: 'here:1', imagePullPolicy: 'Always' }, none, ev, 0)
    expect(events.at(-1)).toBe('!Failed')
  })
})
