// One writer for the whole store. Writes queue here; whatever queued up while the writer was
// busy (or during one event-loop turn) is handed over as one group, which the store commits
// in one storage transaction (group commit: fewer pages written per write under load).
import type { WriteBatch } from './persistence.ts'
import type { Change } from './version.ts'

/** One queued write. `apply` runs against the index head with the revision it would get. */
export interface Work {
  apply(
    rev: number,
    batch: WriteBatch,
  ): { changes: Change[]; result: unknown } | Promise<{ changes: Change[]; result: unknown }>
  resolve(v: unknown): void
  reject(e: unknown): void
}

const tick = () => new Promise((r) => setImmediate(r))

export class WriteQueue {
  private queue: Work[] = []
  private writing = false
  private idleWaiters: (() => void)[] = []

  constructor(private writeGroup: (group: Work[]) => Promise<void>) {}

  push(apply: Work['apply']): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ apply, resolve, reject })
      if (!this.writing) {
        this.writing = true
        // setImmediate gathers the writes that arrive in this event-loop turn into one group.
        setImmediate(() => this.drain())
      }
    })
  }

  /** Resolves once nothing is queued or being written. */
  idle(): Promise<void> {
    if (!this.writing) return Promise.resolve()
    return new Promise((r) => this.idleWaiters.push(r))
  }

  private async drain(): Promise<void> {
    try {
      let since = performance.now()
      while (this.queue.length) {
        await this.writeGroup(this.queue.splice(0, this.queue.length))
        // Writes queued from the continuations of the last group's callers chain in microtasks;
        // give I/O a turn now and then. (Not after every group: Bun's expect().rejects loses an
        // immediate scheduled while it waits, and a turn per group would cost latency.)
        if (this.queue.length && performance.now() - since > 50) {
          await tick()
          since = performance.now()
        }
      }
    } finally {
      this.writing = false
      for (const r of this.idleWaiters.splice(0)) r()
    }
  }
}
