import { afterEach, expect, test } from 'bun:test'
import { type ApiEnv, openApiEnv } from './api-env.test-helper.ts'
import { eventRecorder } from './event-recorder.ts'

let env: ApiEnv | undefined
afterEach(() => env?.close())

test('the same event twice is one Event with count 2', async () => {
  env = await openApiEnv()
  const rec = eventRecorder(env.client, 'replicaset-controller')
  const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'default', uid: 'u1' } }
  rec.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-1-abc')
  rec.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-1-abc')
  rec.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-1-def')
  await rec.flush()
  const { items } = await env.client.list<any>({ group: '', version: 'v1', resource: 'events', namespace: 'default' })
  expect(items.map((e) => [e.message, e.count]).sort()).toEqual([
    ['Created pod: web-1-abc', 2],
    ['Created pod: web-1-def', 1],
  ])
  expect(items[0].involvedObject).toMatchObject({ kind: 'ReplicaSet', name: 'web-1', uid: 'u1' })
  expect(items[0].source.component).toBe('replicaset-controller')
})
