// A real API below HTTP for controller tests: memory datastore, the built-in registry, the REST storage
// with its bootstrap objects, and the in-process client. close() tears everything down.
import { openBackend } from '../../../datastore/index.ts'
import { bootstrapObjects, ensureObjects } from '../../api/bootstrap-objects.ts'
import { type ApiStorage, createApiStorage } from '../../api/store/api-storage.ts'
import { inProcessClient } from '../../client/in-process.ts'
import type { Client } from '../../client/types.ts'
import { builtinRegistry, type Registry } from '../../registry/index.ts'

export interface ApiEnv {
  client: Client
  registry: Registry
  storage: ApiStorage
  close(): Promise<void>
}

export async function openApiEnv(): Promise<ApiEnv> {
  const backend = openBackend('memory://')
  await backend.start()
  const registry = builtinRegistry()
  const storage = createApiStorage({ backend, registry })
  await storage.ready
  await ensureObjects(registry, storage, bootstrapObjects({ serviceCidr: '10.43.0.0/16', port: 6443 }))
  const client = inProcessClient({ storage, registry })
  return {
    client,
    registry,
    storage,
    async close() {
      storage.close()
      await backend.close()
    },
  }
}

/** Polls `cond` (a few seconds at most); fails the test with `what` when it never holds. */
export async function eventually<T>(
  what: string,
  cond: () => T | Promise<T>,
  timeoutMs = 5000,
): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const until = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await cond()
      if (v) return v as Exclude<T, false | null | undefined | 0 | ''>
    } catch (err) {
      last = err
    }
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`)
    await Bun.sleep(10)
  }
}
