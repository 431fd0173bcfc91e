// startServer(): datastore → etcd shim → (API → controllers → addons as their issues land).
// A start-up script: each step awaits an explicit readiness promise, never a sleep.
import type { Resolved } from '../cli/config.ts'
import { logger } from '../shared/log.ts'

const log = logger('server')

export async function runServer(config: Resolved): Promise<void> {
  log.info('starting kubun server', { dataDir: config.dataDir })
  throw new Error('the server is not assembled yet')
}
