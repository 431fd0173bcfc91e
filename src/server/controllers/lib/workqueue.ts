// The workqueue controllers drain, as client-go's: a key waiting in the queue is held once (dedup),
// and a key is never handed to two workers at once — a key re-added while it is being processed is
// queued again only when its worker calls done(). Delayed adds (addAfter) keep the earliest due time.

export class WorkQueue {
  private queue: string[] = []
  private dirty = new Set<string>()
  private processing = new Set<string>()
  private waiters: ((key: string | undefined) => void)[] = []
  private delayed = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> }>()
  private shuttingDown = false

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return
    this.dirty.add(key)
    if (this.processing.has(key)) return
    const waiter = this.waiters.shift()
    if (waiter) {
      this.dirty.delete(key)
      this.processing.add(key)
      waiter(key)
      return
    }
    this.queue.push(key)
  }

  /** Adds the key after `ms`; an earlier pending delayed add of the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return
    if (ms <= 0) {
      this.add(key)
      return
    }
    const at = Date.now() + ms
    const prev = this.delayed.get(key)
    if (prev && prev.at <= at) return
    if (prev) clearTimeout(prev.timer)
    const timer = setTimeout(() => {
      this.delayed.delete(key)
      this.add(key)
    }, ms)
    this.delayed.set(key, { at, timer })
  }

  /** The next key to process (it is then "processing" until done()); undefined once shut down. */
  get(): Promise<string | undefined> {
    const key = this.queue.shift()
    if (key !== undefined) {
      this.dirty.delete(key)
      this.processing.add(key)
      return Promise.resolve(key)
    }
    if (this.shuttingDown) return Promise.resolve(undefined)
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  done(key: string): void {
    this.processing.delete(key)
    if (this.dirty.has(key)) {
      this.dirty.delete(key)
      this.add(key)
    }
  }

  len(): number {
    return this.queue.length
  }

  isProcessing(key: string): boolean {
    return this.processing.has(key)
  }

  shutDown(): void {
    this.shuttingDown = true
    for (const { timer } of this.delayed.values()) clearTimeout(timer)
    this.delayed.clear()
    for (const w of this.waiters.splice(0)) w(undefined)
  }
}

/** Per-key exponential back-off (client-go's ItemExponentialFailureRateLimiter): base·2^failures, capped. */
export class BackoffLimiter {
  private failures = new Map<string, number>()

  constructor(
    private baseMs = 5,
    private maxMs = 1_000_000,
  ) {}

  when(key: string): number {
    const n = this.failures.get(key) ?? 0
    this.failures.set(key, n + 1)
    return Math.min(this.maxMs, this.baseMs * 2 ** n)
  }

  retries(key: string): number {
    return this.failures.get(key) ?? 0
  }

  forget(key: string): void {
    this.failures.delete(key)
  }
}
