// The scheduling queue (upstream PriorityQueue, simplified): an active heap ordered by priority then
// arrival; pods that did not fit wait as "unschedulable" until a cluster change (node added or
// updated, pod deleted) moves them back, after their per-pod back-off (1 s doubling to 10 s). Pods
// parked longer than a minute are retried anyway.
import type { Pod } from './types.ts'

interface Entry {
  key: string
  pod: Pod
  priority: number
  seq: number
  attempts: number
  /** when the back-off of the last failure ends */
  readyAt: number
  parkedAt: number
  /** a cluster change happened while backing off: go active once the back-off ends */
  moveRequested?: boolean
}

const keyOf = (p: Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`

export interface QueueOptions {
  initialBackoffMs?: number
  maxBackoffMs?: number
  maxParkMs?: number
  now?: () => number
}

export class SchedulingQueue {
  private heap: Entry[] = []
  private inHeap = new Map<string, Entry>()
  private parked = new Map<string, Entry>()
  private attempts = new Map<string, number>()
  private seq = 0
  private waiter?: () => void
  private closed = false
  private timer: ReturnType<typeof setInterval>
  private readonly o: Required<QueueOptions>

  constructor(o: QueueOptions = {}) {
    this.o = { initialBackoffMs: 1000, maxBackoffMs: 10_000, maxParkMs: 60_000, now: Date.now, ...o }
    this.timer = setInterval(() => this.flush(false), 500)
    ;(this.timer as { unref?: () => void }).unref?.()
  }

  get length(): number {
    return this.heap.length
  }

  get parkedCount(): number {
    return this.parked.size
  }

  /** A new or changed unscheduled pod: (re)enters the active heap unless it is backing off. */
  add(pod: Pod): void {
    const key = keyOf(pod)
    const active = this.inHeap.get(key)
    if (active) {
      active.pod = pod
      return
    }
    const parked = this.parked.get(key)
    if (parked) {
      parked.pod = pod
      if (parked.readyAt > this.o.now()) return
      this.parked.delete(key)
    }
    this.push(this.entry(pod))
  }

  delete(pod: Pod): void {
    const key = keyOf(pod)
    this.parked.delete(key)
    this.attempts.delete(key)
    const e = this.inHeap.get(key)
    if (e) {
      this.inHeap.delete(key)
      e.key = '' // tombstone: skipped when popped
    }
  }

  /** The pod did not fit: park it with back-off until the cluster changes. */
  parkUnschedulable(pod: Pod): void {
    const e = this.entry(pod)
    const n = (this.attempts.get(e.key) ?? 0) + 1
    this.attempts.set(e.key, n)
    e.attempts = n
    e.readyAt = this.o.now() + Math.min(this.o.maxBackoffMs, this.o.initialBackoffMs * 2 ** (n - 1))
    e.parkedAt = this.o.now()
    this.parked.set(e.key, e)
  }

  /** Scheduled: forget the attempts. */
  done(pod: Pod): void {
    this.attempts.delete(keyOf(pod))
  }

  /** A cluster change that may make parked pods fit. */
  moveAllToActive(): void {
    this.flush(true)
  }

  async pop(): Promise<Pod | undefined> {
    for (;;) {
      if (this.closed) return undefined
      const e = this.popEntry()
      if (e) return e.pod
      await new Promise<void>((r) => (this.waiter = r))
    }
  }

  close(): void {
    this.closed = true
    clearInterval(this.timer)
    this.wake()
  }

  private flush(all: boolean): void {
    const now = this.o.now()
    for (const [key, e] of this.parked) {
      if (all) e.moveRequested = true
      if (e.readyAt > now) continue
      if (!e.moveRequested && now - e.parkedAt < this.o.maxParkMs) continue
      this.parked.delete(key)
      this.push(e)
    }
  }

  private entry(pod: Pod): Entry {
    return {
      key: keyOf(pod),
      pod,
      priority: pod.spec?.priority ?? 0,
      seq: this.seq++,
      attempts: 0,
      readyAt: 0,
      parkedAt: 0,
    }
  }

  private wake(): void {
    const w = this.waiter
    this.waiter = undefined
    w?.()
  }

  private less(a: Entry, b: Entry): boolean {
    return a.priority !== b.priority ? a.priority > b.priority : a.seq < b.seq
  }

  private push(e: Entry): void {
    this.inHeap.set(e.key, e)
    const h = this.heap
    h.push(e)
    let i = h.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.less(h[i], h[p])) break
      ;[h[i], h[p]] = [h[p], h[i]]
      i = p
    }
    this.wake()
  }

  private popEntry(): Entry | undefined {
    const h = this.heap
    while (h.length) {
      const top = h[0]
      const last = h.pop()!
      if (h.length) {
        h[0] = last
        let i = 0
        for (;;) {
          const l = 2 * i + 1
          const r = l + 1
          let m = i
          if (l < h.length && this.less(h[l], h[m])) m = l
          if (r < h.length && this.less(h[r], h[m])) m = r
          if (m === i) break
          ;[h[i], h[m]] = [h[m], h[i]]
          i = m
        }
      }
      if (!top.key) continue
      this.inHeap.delete(top.key)
      return top
    }
    return undefined
  }
}
