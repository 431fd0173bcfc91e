// Batched, throttled status writes: callers mark pods dirty; a fixed number of writers drain the set,
// each write computing the newest status at that moment, so a pod that changes five times while queued
// costs one PATCH. This is what lets 1000 nodes × 30 pods report without flooding the API server.

export class DirtySet {
  private dirty = new Set<string>()
  private running = 0
  private idle: (() => void)[] = []

  constructor(
    private readonly write: (key: string) => Promise<void>,
    private readonly concurrency = 32,
    private readonly onError: (key: string, err: unknown) => void = () => {},
  ) {}

  mark(key: string): void {
    this.dirty.add(key)
    this.pump()
  }

  get pending(): number {
    return this.dirty.size + this.running
  }

  /** resolves when nothing is queued or being written */
  drained(): Promise<void> {
    if (this.pending === 0) return Promise.resolve()
    return new Promise((r) => this.idle.push(r))
  }

  private pump(): void {
    while (this.running < this.concurrency && this.dirty.size > 0) {
      const key = this.dirty.values().next().value as string
      this.dirty.delete(key)
      this.running++
      this.write(key)
        .catch((err) => this.onError(key, err))
        .finally(() => {
          this.running--
          this.pump()
          if (this.pending === 0) for (const r of this.idle.splice(0)) r()
        })
    }
  }
}
