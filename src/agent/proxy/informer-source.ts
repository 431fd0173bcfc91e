// ServiceSource backed by two informers (src/server/controllers/lib/informer.ts or anything shaped like
// it): the proxy reads their caches and re-syncs on any event.
import type { Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import type { ServiceSource } from './sync.ts'

export interface InformerLike<T> {
  list(): T[]
  addHandler(h: { add?(o: T): void; update?(a: T, b: T): void; delete?(o: T): void }): void
}

export function informerSource(services: InformerLike<Service>, slices: InformerLike<EndpointSlice>): ServiceSource {
  const cbs = new Set<() => void>()
  const fire = () => {
    for (const cb of cbs) cb()
  }
  const h = { add: fire, update: fire, delete: fire }
  services.addHandler(h)
  slices.addHandler(h)
  return {
    list: () => ({ services: services.list(), endpointSlices: slices.list() }),
    onChange(cb) {
      cbs.add(cb)
      return () => cbs.delete(cb)
    },
  }
}
