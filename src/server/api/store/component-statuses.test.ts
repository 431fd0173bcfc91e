import { afterEach, beforeEach, expect, test } from 'bun:test'
import type { Backend } from '../../../datastore/backend.ts'
import { openBackend } from '../../../datastore/index.ts'
import { builtinRegistry, renderTable } from '../../registry/index.ts'
import { type ApiStorage, createApiStorage } from './api-storage.ts'
import { ctx } from './test-fixtures.test-helper.ts'

const registry = builtinRegistry()
const def = registry.get('', 'v1', 'componentstatuses')!
let backend: Backend
let storage: ApiStorage
beforeEach(async () => {
  backend = openBackend('memory://')
  await backend.start()
  storage = createApiStorage({ backend, registry })
  await storage.ready
})
afterEach(async () => {
  storage.close()
  await backend.close()
})

test('kubectl get cs: scheduler, controller-manager and the datastore as etcd-0, with the deprecation warning', async () => {
  const c = ctx()
  const list = await storage.storeFor(def).list(undefined, {}, c)
  const table: any = renderTable(def, list.items)
  expect(table.columnDefinitions.map((d: any) => d.name)).toEqual(['Name', 'Status', 'Message', 'Error'])
  expect(table.rows.map((r: any) => r.cells.slice(0, 3))).toEqual([
    ['scheduler', 'Healthy', 'ok'],
    ['controller-manager', 'Healthy', 'ok'],
    ['etcd-0', 'Healthy', '{"health":"true","reason":""}'],
  ])
  expect(c.warnings).toEqual(['v1 ComponentStatus is deprecated in v1.19+'])
  await expect(storage.storeFor(def).get(undefined, 'etcd-1')).rejects.toMatchObject({ code: 404 })
  await expect(storage.storeFor(def).delete(undefined, 'scheduler', {}, c)).rejects.toMatchObject({ code: 405 })
})
