// The scheduler as one entry of the controller manager: it shares the controllers' informers (one pod
// cache for both) and runs only while this server holds the controller-manager Lease, so two servers
// sharing a datastore never bind the same pods twice.
import type { ControllerContext } from '../controllers/context.ts'
import { Controller } from '../controllers/lib/controller.ts'
import { SCHEDULER_NAME, Scheduler } from './scheduler.ts'

class SchedulerRunner extends Controller {
  constructor(readonly scheduler: Scheduler) {
    super({ name: SCHEDULER_NAME, reconcile: async () => undefined })
  }
  override run(): void {
    this.scheduler.run()
  }
  override async stop(): Promise<void> {
    await this.scheduler.stop()
  }
}

export function schedulerController(ctx: ControllerContext): Controller {
  const scheduler = new Scheduler({
    client: ctx.client,
    informers: ctx.informers,
    recorder: ctx.events(SCHEDULER_NAME),
  })
  return new SchedulerRunner(scheduler)
}
