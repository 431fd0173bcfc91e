import { afterEach, expect, test } from 'bun:test'
import { eventually } from './lib/api-env.test-helper.ts'
import { R } from './lib/resources.ts'
import { type ControllerEnv, ns, openControllerEnv } from './workloads.test-helper.ts'

let env: ControllerEnv | undefined
afterEach(async () => {
  await env?.close()
  env = undefined
})

test('a namespace gets a default ServiceAccount and kube-root-ca.crt, recreated when deleted', async () => {
  env = await openControllerEnv(['serviceaccount'], { rootCaPem: 'PEM' })
  const c = env.client
  await c.create(R.namespaces, { metadata: { name: 'team' } })
  await eventually('default sa', () => c.get(ns(R.serviceaccounts, 'team'), 'default'))
  const cm = await eventually('root ca', () => c.get<any>(ns(R.configmaps, 'team'), 'kube-root-ca.crt'))
  expect(cm.data['ca.crt']).toBe('PEM')
  await c.delete(ns(R.serviceaccounts, 'team'), 'default')
  await eventually('default sa again', () => c.get(ns(R.serviceaccounts, 'team'), 'default'))
})

test('deleting a namespace deletes its objects, reports conditions, then removes the namespace', async () => {
  env = await openControllerEnv(['namespace'])
  const c = env.client
  await c.create(R.namespaces, { metadata: { name: 'gone' } })
  await c.create(ns(R.configmaps, 'gone'), { metadata: { name: 'a' } })
  // a finalizer holds one object: the namespace must wait and say why
  await c.create(ns(R.configmaps, 'gone'), { metadata: { name: 'held', finalizers: ['example.com/hold'] } })
  await c.delete(R.namespaces, 'gone')
  const n = await eventually('conditions', async () => {
    const n = await c.get<any>(R.namespaces, 'gone')
    return n.status?.conditions?.find((x: any) => x.type === 'NamespaceFinalizersRemaining' && x.status === 'True') && n
  })
  expect(n.status.phase).toBe('Terminating')
  expect(n.status.conditions.find((x: any) => x.type === 'NamespaceContentRemaining').message).toBe(
    'Some resources are remaining: configmaps has 1 resource instances',
  )
  await expect(c.get(ns(R.configmaps, 'gone'), 'a')).rejects.toMatchObject({ code: 404 })
  await c.patch(ns(R.configmaps, 'gone'), 'held', 'merge', { metadata: { finalizers: null } })
  await eventually(
    'namespace gone',
    () =>
      c.get(R.namespaces, 'gone').then(
        () => false,
        (e) => e.code === 404,
      ),
    8000,
  )
})
