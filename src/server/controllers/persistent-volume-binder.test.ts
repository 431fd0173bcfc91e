import { afterEach, expect, test } from 'bun:test'
import { eventually } from './lib/api-env.test-helper.ts'
import { R } from './lib/resources.ts'
import { type ControllerEnv, ns, openControllerEnv } from './workloads.test-helper.ts'

let env: ControllerEnv | undefined
afterEach(async () => {
  await env?.close()
  env = undefined
})

const volume = (name: string, size: string, policy = 'Retain') => ({
  metadata: { name },
  spec: {
    capacity: { storage: size },
    accessModes: ['ReadWriteOnce'],
    persistentVolumeReclaimPolicy: policy,
    hostPath: { path: `/tmp/${name}` },
  },
})
const claim = (name: string, size: string) => ({
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
})

test('claims bind to the smallest fitting static PV; a deleted claim releases (Retain) or deletes (Delete) it', async () => {
  env = await openControllerEnv(['persistentvolume-binder'])
  const c = env.client
  await c.create(R.pvs, volume('big', '10Gi'))
  await c.create(R.pvs, volume('small', '1Gi', 'Delete'))
  await eventually('Available', async () => (await c.get<any>(R.pvs, 'big')).status?.phase === 'Available')
  await c.create(ns(R.pvcs), claim('a', '1Gi'))
  const a = await eventually('a bound', async () => {
    const p = await c.get<any>(ns(R.pvcs), 'a')
    return p.status?.phase === 'Bound' && p
  })
  expect(a.spec.volumeName).toBe('small')
  expect(a.status.capacity).toEqual({ storage: '1Gi' })
  expect(a.metadata.annotations['pv.kubernetes.io/bind-completed']).toBe('yes')
  const small = await c.get<any>(R.pvs, 'small')
  expect(small.status.phase).toBe('Bound')
  expect(small.spec.claimRef).toMatchObject({ kind: 'PersistentVolumeClaim', namespace: 'default', name: 'a' })

  await c.create(ns(R.pvcs), claim('b', '2Gi'))
  await eventually('b bound to big', async () => (await c.get<any>(ns(R.pvcs), 'b')).spec?.volumeName === 'big')
  await c.create(ns(R.pvcs), claim('c', '1Gi'))
  await eventually('c waits with an event', async () => {
    const { items } = await c.list<any>(ns(R.events))
    return items.find((e) => e.reason === 'FailedBinding' && e.involvedObject.name === 'c')
  })
  expect((await c.get<any>(ns(R.pvcs), 'c')).status?.phase).toBe('Pending')

  await c.delete(ns(R.pvcs), 'b')
  await eventually('big Released', async () => (await c.get<any>(R.pvs, 'big')).status?.phase === 'Released')
  await c.delete(ns(R.pvcs), 'a')
  await eventually('small deleted', async () => !(await c.get(R.pvs, 'small').catch(() => undefined)))
})

test('a claim without a class gets the default StorageClass and binds to a PV of that class', async () => {
  env = await openControllerEnv(['persistentvolume-binder'])
  const c = env.client
  const classes = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' }
  await c.create(classes, {
    metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'kubernetes.io/no-provisioner',
  })
  await c.create(R.pvs, volume('plain', '1Gi')) // no class: not for a claim of the default class
  await c.create(R.pvs, {
    ...volume('std', '5Gi'),
    spec: { ...volume('std', '5Gi').spec, storageClassName: 'standard' },
  })
  await c.create(ns(R.pvcs), claim('d', '1Gi'))
  const d = await eventually('d bound', async () => {
    const p = await c.get<any>(ns(R.pvcs), 'd')
    return p.status?.phase === 'Bound' && p
  })
  expect(d.spec.storageClassName).toBe('standard')
  expect(d.spec.volumeName).toBe('std')
  // an explicit "" still means "no class"
  await c.create(ns(R.pvcs), { ...claim('e', '1Gi'), spec: { ...claim('e', '1Gi').spec, storageClassName: '' } })
  await eventually('e bound to plain', async () => (await c.get<any>(ns(R.pvcs), 'e')).spec?.volumeName === 'plain')
})
