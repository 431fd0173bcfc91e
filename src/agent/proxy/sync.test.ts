import { expect, test } from 'bun:test'
import type { Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import { node, opts, slice, svc } from './ruleset-scenarios.ts'
import { ProxySync, type ServiceSource } from './sync.ts'

/** In-memory stand-in for the informers the agent backs ServiceSource with. */
class FakeSource implements ServiceSource {
  services: Service[] = []
  endpointSlices: EndpointSlice[] = []
  private cbs = new Set<() => void>()
  list() {
    return { services: this.services, endpointSlices: this.endpointSlices }
  }
  onChange(cb: () => void) {
    this.cbs.add(cb)
    return () => this.cbs.delete(cb)
  }
  changed() {
    for (const cb of this.cbs) cb()
  }
}

function recorder() {
  const texts: string[] = []
  let last: string | undefined
  return {
    texts,
    async apply(text: string, o: { force?: boolean } = {}) {
      if (!o.force && text === last) return { applied: false, ms: 0 }
      last = text
      texts.push(text)
      return { applied: true, ms: 0 }
    },
  }
}
const waitFor = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await Bun.sleep(10)
}

test('applies at start, then once per burst of changes, with the new services', async () => {
  const source = new FakeSource()
  const applier = recorder()
  const sync = new ProxySync({ source, node, rules: opts, applier, debounceMs: 20, resyncMs: 60_000 })
  await sync.start()
  try {
    expect(applier.texts.length).toBe(1)
    expect(applier.texts[0]).not.toContain('10.43.0.20')
    source.services = [svc('web', { clusterIP: '10.43.0.20', ports: [{ name: 'http', port: 80 }] })]
    source.changed()
    source.endpointSlices = [slice('web', [{ name: 'http', port: 80 }], [{ addresses: ['10.42.0.5'] }])]
    source.changed()
    await waitFor(() => applier.texts.length >= 2)
    await Bun.sleep(50)
    expect(applier.texts.length).toBe(2)
    expect(applier.texts[1]).toContain('dnat to 10.42.0.5:80')
  } finally {
    sync.stop()
  }
})

test('periodic resync picks up changes nobody announced', async () => {
  const source = new FakeSource()
  const applier = recorder()
  const sync = new ProxySync({ source, node, rules: opts, applier, resyncMs: 20, fullResyncMs: 60_000 })
  await sync.start()
  source.services = [svc('quiet', { clusterIP: '10.43.0.30', ports: [{ name: 'http', port: 80 }] })]
  await waitFor(() => applier.texts.length >= 2)
  sync.stop()
  expect(applier.texts.length).toBe(2)
  expect(applier.texts[1]).toContain('10.43.0.30')
})

test('full resync re-applies even when nothing changed; a stopped sync applies nothing', async () => {
  const source = new FakeSource()
  const applier = recorder()
  const sync = new ProxySync({ source, node, rules: opts, applier, resyncMs: 60_000, fullResyncMs: 30 })
  await sync.start()
  await waitFor(() => applier.texts.length >= 3)
  sync.stop()
  const n = applier.texts.length
  expect(n).toBeGreaterThanOrEqual(3)
  source.changed()
  await Bun.sleep(150)
  expect(applier.texts.length).toBe(n)
})

test('a failed apply is reported in lastError and retried by the next sync', async () => {
  const source = new FakeSource()
  let fail = true
  const applier = {
    async apply() {
      if (fail) throw new Error('nft: syntax error')
      return { applied: true, ms: 0 }
    },
  }
  const sync = new ProxySync({ source, node, rules: opts, applier, debounceMs: 5, resyncMs: 60_000 })
  await expect(sync.start()).rejects.toThrow('syntax error')
  await sync.syncNow()
  expect(sync.lastError?.message).toContain('syntax error')
  fail = false
  await sync.syncNow()
  expect(sync.lastError).toBeUndefined()
  sync.stop()
})
