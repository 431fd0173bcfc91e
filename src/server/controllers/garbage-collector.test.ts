import { afterEach, expect, test } from 'bun:test'
import { eventually } from './lib/api-env.test-helper.ts'
import { R } from './lib/resources.ts'
import { type ControllerEnv, ns, openControllerEnv } from './workloads.test-helper.ts'

let env: ControllerEnv | undefined
afterEach(async () => {
  await env?.close()
  env = undefined
})

const cm = ns(R.configmaps)
const owned = (name: string, owner: any, block = true) => ({
  metadata: {
    name,
    ownerReferences: [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: owner.metadata.name,
        uid: owner.metadata.uid,
        blockOwnerDeletion: block,
      },
    ],
  },
})
const exists = async (name: string) =>
  env!.client.get(cm, name).then(
    () => true,
    () => false,
  )

test('Background: dependents of a deleted owner are deleted; a dependent with another live owner only loses the reference', async () => {
  env = await openControllerEnv(['garbagecollector'])
  const c = env.client
  const owner = await c.create<any>(cm, { metadata: { name: 'owner' } })
  const other = await c.create<any>(cm, { metadata: { name: 'other' } })
  await c.create(cm, owned('dep', owner))
  const shared = owned('shared', owner)
  shared.metadata.ownerReferences.push({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: 'other',
    uid: other.metadata.uid,
    blockOwnerDeletion: false,
  })
  await c.create(cm, shared)
  await c.delete(cm, 'owner', { propagationPolicy: 'Background' })
  await eventually('dep deleted', async () => !(await exists('dep')))
  const s = await eventually('shared keeps only the live owner', async () => {
    const s = await c.get<any>(cm, 'shared')
    return s.metadata.ownerReferences.length === 1 && s
  })
  expect(s.metadata.ownerReferences[0].name).toBe('other')
})

test('Foreground: the owner stays with its finalizer until blocking dependents are gone', async () => {
  env = await openControllerEnv(['garbagecollector'])
  const c = env.client
  const owner = await c.create<any>(cm, { metadata: { name: 'owner' } })
  // a dependent that cannot go yet (its own finalizer) keeps the owner
  await c.create(cm, {
    ...owned('dep', owner),
    metadata: { ...owned('dep', owner).metadata, finalizers: ['example.com/hold'] },
  })
  await c.delete(cm, 'owner', { propagationPolicy: 'Foreground' })
  await eventually('dep deleting', async () => !!(await c.get<any>(cm, 'dep')).metadata.deletionTimestamp)
  const o = await c.get<any>(cm, 'owner')
  expect(o.metadata.finalizers).toEqual(['foregroundDeletion'])
  await c.patch(cm, 'dep', 'merge', { metadata: { finalizers: null } })
  await eventually('owner gone', async () => !(await exists('owner')))
})

test('Orphan: dependents lose the owner reference and stay', async () => {
  env = await openControllerEnv(['garbagecollector'])
  const c = env.client
  const owner = await c.create<any>(cm, { metadata: { name: 'owner' } })
  await c.create(cm, owned('dep', owner))
  await c.delete(cm, 'owner', { propagationPolicy: 'Orphan' })
  await eventually('owner gone', async () => !(await exists('owner')))
  const dep = await c.get<any>(cm, 'dep')
  expect(dep.metadata.ownerReferences).toBeUndefined()
})
