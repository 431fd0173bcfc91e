// Helpers for datastore tests: a watch collector and one-op txns.
import type { Backend, WatchEvent } from './backend.ts'
import { encode } from './ops.ts'

/** Collects watch events; `until(n)` resolves once n events arrived. */
export function collect(store: Backend, req: Parameters<Backend['watch']>[0]) {
  const events: WatchEvent[] = []
  const batches: number[][] = []
  let error: Error | undefined
  let waiter: (() => void) | undefined
  let want = 0
  const w = store.watch(req, {
    onEvents(evs) {
      events.push(...evs)
      batches.push(evs.map((e) => e.kv.modRevision))
      if (waiter && events.length >= want) waiter()
    },
    onError(err) {
      error = err
      waiter?.()
    },
  })
  return {
    events,
    batches,
    get error() {
      return error
    },
    cancel: () => w.cancel(),
    until(n: number): Promise<WatchEvent[]> {
      if (events.length >= n || error) return Promise.resolve(events)
      want = n
      return new Promise((r) => {
        waiter = () => r(events)
      })
    },
    failed(): Promise<Error> {
      if (error) return Promise.resolve(error)
      return new Promise((r) => {
        waiter = () => error && r(error)
      })
    },
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
export const put = (s: Backend, key: string, value: string, lease = 0) =>
  s.txn({ compare: [], success: [{ type: 'put', key, value: encode(value), lease }], failure: [] })
export const del = (s: Backend, key: string, rangeEnd?: string) =>
  s.txn({ compare: [], success: [{ type: 'delete', key, rangeEnd, prevKv: true }], failure: [] })
