// The controller runner (controller-runtime's pattern): N workers take keys from a workqueue and call
// reconcile(key). Invariant: reconcile is never invoked concurrently for the same key. A thrown error
// is logged and the key retried with per-key exponential back-off; a TerminalError is not retried;
// `{ requeueAfterMs }` asks to look again later (e.g. minReadySeconds, deadlines, cron schedules).
import { type Logger, logger } from '../../../shared/log.ts'
import { BackoffLimiter, WorkQueue } from './workqueue.ts'

export type ReconcileResult = { requeueAfterMs?: number } | undefined

/** Do not retry: the object cannot be reconciled until it changes. */
export class TerminalError extends Error {
  override name = 'TerminalError'
}

export interface ControllerTimings {
  /** first retry delay after a failure (default 5 ms) */
  baseDelayMs?: number
  /** retry delay cap (default 1000 s) */
  maxDelayMs?: number
}

export interface ControllerSpec {
  name: string
  workers?: number
  // biome-ignore lint/suspicious/noConfusingVoidType: reconcilers may simply return
  reconcile(key: string): Promise<ReconcileResult | void>
}

export class Controller {
  readonly queue = new WorkQueue()
  private limiter: BackoffLimiter
  private workers: Promise<void>[] = []
  readonly log: Logger

  constructor(
    private spec: ControllerSpec,
    timings: ControllerTimings = {},
  ) {
    this.limiter = new BackoffLimiter(timings.baseDelayMs ?? 5, timings.maxDelayMs ?? 1_000_000)
    this.log = logger(spec.name)
  }

  get name(): string {
    return this.spec.name
  }

  enqueue(key: string): void {
    this.queue.add(key)
  }

  enqueueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms)
  }

  run(): void {
    const n = this.spec.workers ?? 2
    for (let i = 0; i < n; i++) this.workers.push(this.worker())
  }

  async stop(): Promise<void> {
    this.queue.shutDown()
    await Promise.all(this.workers)
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get()
      if (key === undefined) return
      try {
        const r = await this.spec.reconcile(key)
        this.limiter.forget(key)
        if (r?.requeueAfterMs !== undefined) this.queue.addAfter(key, Math.max(1, r.requeueAfterMs))
      } catch (err) {
        this.failed(key, err)
      } finally {
        this.queue.done(key)
      }
    }
  }

  private failed(key: string, err: unknown): void {
    if (err instanceof TerminalError) {
      this.limiter.forget(key)
      this.log.warn('reconcile failed; not retrying until the object changes', { key, err })
      return
    }
    const code = (err as { code?: number }).code
    const retries = this.limiter.retries(key)
    // a 409 Conflict or 404 only means our cache was behind, and a 403 for a terminating namespace
    // ends when the namespace is gone: retry quietly
    const terminating = code === 403 && /being terminated/.test((err as Error).message ?? '')
    if (code === 409 || code === 404 || terminating) this.log.debug('reconcile raced; retrying', { key, err })
    else if (retries < 3 || retries % 10 === 0) this.log.warn('reconcile failed; retrying', { key, retries, err })
    this.queue.addAfter(key, this.limiter.when(key))
  }
}
