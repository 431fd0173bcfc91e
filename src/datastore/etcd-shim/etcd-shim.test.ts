// The shared etcdctl table (test/integration/etcdctl-cases.ts) against the shim in this process,
// over the in-memory reference driver: fast, and isolates shim bugs from driver and server bugs.
import { afterAll, beforeAll, describe, test } from 'bun:test'
import { cases } from '../../../test/integration/etcdctl-cases.ts'
import { haveEtcdctl, type Target } from '../../../test/integration/etcdctl-targets.ts'
import type { Backend } from '../backend.ts'
import { memoryBackend } from '../memory/index.ts'
import { type EtcdShim, startEtcdShim } from './index.ts'

describe.skipIf(!haveEtcdctl())('etcdctl against the shim over the memory driver', () => {
  let store: Backend
  let shim: EtcdShim
  const target: Target = {
    name: 'kubun',
    endpoint: '',
    dataDir: '',
    pid: () => process.pid,
    crashAndRestart: () => Promise.reject(new Error('an in-process shim cannot be restarted')),
    stop: async () => {},
  }
  beforeAll(async () => {
    store = memoryBackend()
    await store.start()
    shim = await startEtcdShim(store, '127.0.0.1:0')
    target.endpoint = shim.address
  })
  afterAll(async () => {
    await shim?.close()
    await store?.close()
  })
  for (const c of cases.filter((c) => !c.restarts)) {
    if (c.kubunDiffers) test.failing(`${c.name} [known difference: ${c.kubunDiffers}]`, () => c.run(target), 30_000)
    else test(c.name, () => c.run(target), 30_000)
  }
})
