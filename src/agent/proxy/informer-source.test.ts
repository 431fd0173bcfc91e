import { expect, test } from 'bun:test'
import type { Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import { type InformerLike, informerSource } from './informer-source.ts'

function fakeInformer<T>(items: T[]) {
  const handlers: { add?(o: T): void }[] = []
  const inf: InformerLike<T> & { emit(o: T): void } = {
    list: () => items,
    addHandler: (h) => handlers.push(h),
    emit: (o) => {
      items.push(o)
      for (const h of handlers) h.add?.(o)
    },
  }
  return inf
}

test('lists both caches and reports any event until unsubscribed', () => {
  const services = fakeInformer<Service>([{ metadata: { name: 'a' } }])
  const slices = fakeInformer<EndpointSlice>([])
  const src = informerSource(services, slices)
  let n = 0
  const off = src.onChange(() => n++)
  slices.emit({ metadata: { name: 'a-x' }, addressType: 'IPv4', endpoints: [] })
  services.emit({ metadata: { name: 'b' } })
  expect(n).toBe(2)
  expect(src.list().services.map((s) => s.metadata?.name)).toEqual(['a', 'b'])
  expect(src.list().endpointSlices).toHaveLength(1)
  off()
  services.emit({ metadata: { name: 'c' } })
  expect(n).toBe(2)
})
