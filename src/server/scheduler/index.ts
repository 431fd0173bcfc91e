// startScheduler(): the default-scheduler over the shared informers; stop() ends the loop.
import type { Client } from '../client/types.ts'
import { eventRecorder } from '../controllers/lib/event-recorder.ts'
import type { InformerFactory } from '../controllers/lib/informer-factory.ts'
import { SCHEDULER_NAME, Scheduler } from './scheduler.ts'

export { SCHEDULER_NAME, Scheduler }

export interface StartSchedulerOptions {
  client: Client
  /** the shared informers (started by the caller, or started here when not yet) */
  informers: InformerFactory
}

export async function startScheduler(o: StartSchedulerOptions): Promise<Scheduler> {
  const s = new Scheduler({
    client: o.client,
    informers: o.informers,
    recorder: eventRecorder(o.client, SCHEDULER_NAME),
  })
  o.informers.start()
  await o.informers.waitForSync()
  s.run()
  return s
}
