// Controllers over a real in-memory API for the controller tests, with fast timings.

import { type RunningControllers, startControllers } from './index.ts'
import { type ApiEnv, openApiEnv } from './lib/api-env.test-helper.ts'

export interface ControllerEnv extends ApiEnv {
  controllers: RunningControllers
}

export async function openControllerEnv(
  only?: string[],
  extra: { now?: () => number; rootCaPem?: string } = {},
): Promise<ControllerEnv> {
  const env = await openApiEnv()
  const controllers = startControllers({
    client: env.client,
    resources: () => env.registry.all(),
    leaderElection: false,
    timings: { baseDelayMs: 5, maxDelayMs: 200 },
    only,
    sweepMs: 50,
    hpaSyncMs: 50,
    jobBackoffBaseMs: 10,
    ...extra,
  })
  await controllers.started
  return {
    ...env,
    controllers,
    async close() {
      await controllers.stop()
      await env.close()
    },
  }
}

export const ns = (resource: { group: string; version: string; resource: string }, namespace = 'default') => ({
  ...resource,
  namespace,
})
