// pods/ephemeralcontainers as `kubectl debug` uses it: a strategic patch that adds a container.
import { afterEach, beforeEach, expect, test } from 'bun:test'
import type { Backend } from '../../../datastore/backend.ts'
import { openBackend } from '../../../datastore/index.ts'
import { builtinRegistry } from '../../registry/index.ts'
import { bootstrapCluster } from '../bootstrap.ts'
import { type ApiStorage, createApiStorage } from './api-storage.ts'
import { ctx } from './test-fixtures.test-helper.ts'

const registry = builtinRegistry()
let backend: Backend
let storage: ApiStorage
beforeEach(async () => {
  backend = openBackend('memory://')
  await backend.start()
  storage = createApiStorage({ backend, registry })
  await storage.ready
  await bootstrapCluster({ storage, registry }, { serviceCidr: '10.43.0.0/16' })
})
afterEach(async () => {
  storage.close()
  await backend.close()
})

const pods = () => storage.storeFor(registry.get('', 'v1', 'pods')!)
const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } }
const debug = (name: string, extra: Record<string, unknown> = {}) => ({
  spec: { ephemeralContainers: [{ name, image: 'busybox', stdin: true, tty: true, ...extra }] },
})
const errOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e) => e,
  )

test('a debug container is added through the subresource and nothing else changes', async () => {
  await pods().create('default', pod, ctx())
  const body = { ...debug('debugger-1'), metadata: { labels: { sneaky: 'yes' } } }
  const out = await pods().patch('default', 'p', 'strategic', body, ctx(), { subresource: 'ephemeralcontainers' })
  expect(out.spec.ephemeralContainers.map((c: any) => c.name)).toEqual(['debugger-1'])
  expect(out.metadata?.labels?.sneaky).toBeUndefined()
  // kubectl's two-way patch names the order it wants
  const second = debug('debugger-2') as any
  second.spec['$setElementOrder/ephemeralContainers'] = [{ name: 'debugger-1' }, { name: 'debugger-2' }]
  const again = await pods().patch('default', 'p', 'strategic', second, ctx(), { subresource: 'ephemeralcontainers' })
  expect(again.spec.ephemeralContainers.map((c: any) => c.name)).toEqual(['debugger-1', 'debugger-2'])
})

test('existing ephemeral containers may not change or go; names are unique; ports are forbidden', async () => {
  await pods().create('default', pod, ctx())
  await pods().patch('default', 'p', 'strategic', debug('d'), ctx(), { subresource: 'ephemeralcontainers' })
  const sub = { subresource: 'ephemeralcontainers' }
  const changed = await errOf(
    pods().patch(
      'default',
      'p',
      'json',
      [{ op: 'replace', path: '/spec/ephemeralContainers/0/image', value: 'x' }],
      ctx(),
      sub,
    ),
  )
  expect(changed.message).toContain('existing ephemeral containers "d" may not be changed')
  const removed = await errOf(
    pods().patch('default', 'p', 'json', [{ op: 'remove', path: '/spec/ephemeralContainers' }], ctx(), sub),
  )
  expect(removed.message).toContain('existing ephemeral containers "d" may not be removed')
  const dup = await errOf(pods().patch('default', 'p', 'strategic', debug('app'), ctx(), sub))
  expect(dup).toMatchObject({ code: 422 })
  expect(dup.message).toContain('name: Duplicate value: "app"')
  const ports = await errOf(
    pods().patch('default', 'p', 'strategic', debug('e', { ports: [{ containerPort: 80 }] }), ctx(), sub),
  )
  expect(ports.message).toContain('ports: Forbidden: cannot be set for an Ephemeral Container')
})
