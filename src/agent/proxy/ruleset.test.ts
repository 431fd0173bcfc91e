// Golden files: UPDATE_GOLDEN=1 bun test src/agent/proxy rewrites test/fixtures/nft/*.nft (review the diff).
import { describe, expect, test } from 'bun:test'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { declaredObjects, ruleset, staleObjects } from './ruleset.ts'
import { node, opts, scenarios, slice, svc } from './ruleset-scenarios.ts'

const dir = join(import.meta.dir, '../../../test/fixtures/nft')
const render = (s: (typeof scenarios)[number]) => ruleset(s.services, s.slices, node, { ...opts, ...s.opts })

describe('ruleset golden files', () => {
  test.each(scenarios.map((s) => [s.name, s] as const))('%s', (name, s) => {
    const file = join(dir, `${name}.nft`)
    const text = render(s)
    if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, text)
    expect(text).toBe(readFileSync(file, 'utf8'))
  })
})

describe('ruleset properties', () => {
  test('input order does not change the output', () => {
    const s = scenarios.find((x) => x.name === 'skipped-and-sorted')!
    const reversed = ruleset([...s.services].reverse(), [...s.slices].reverse(), node, opts)
    expect(reversed).toBe(render(s))
  })

  test('chain names are stable hashes of namespace/name/protocol/port', () => {
    const text = render(scenarios.find((x) => x.name === 'clusterip-two-endpoints')!)
    expect(text).toMatch(/^add chain ip kubun-proxy service-[A-Z2-7]{8}-default\/web\/tcp\/http$/m)
    expect(text).toMatch(/^add chain ip kubun-proxy endpoint-[A-Z2-7]{8}-default\/web\/tcp\/http__10\.42\.0\.5\/8080$/m)
  })

  test('a service without ready endpoints is rejected, one with endpoints load-balanced', () => {
    const services = [svc('web', { clusterIP: '10.43.0.20', ports: [{ name: 'http', port: 80 }] })]
    const none = ruleset(services, [], node, opts)
    expect(none).toContain('no-endpoint-services { 10.43.0.20 . tcp . 80 : goto reject-chain }')
    const eps = [
      slice('web', [{ name: 'http', port: 80 }], [{ addresses: ['10.42.0.5'] }, { addresses: ['10.42.0.6'] }]),
    ]
    expect(ruleset(services, eps, node, opts)).toContain('numgen random mod 2 vmap')
  })

  test('staleObjects deletes what the new ruleset no longer declares, flushing chains first', () => {
    const before = render(scenarios.find((x) => x.name === 'session-affinity')!)
    const after = render(scenarios.find((x) => x.name === 'empty')!)
    const stale = staleObjects(before, after)
    const lines = stale.trim().split('\n')
    const gone = declaredObjects(before).chains.filter((c) => !declaredObjects(after).chains.includes(c))
    expect(gone.length).toBe(3)
    expect(lines.slice(0, 3).every((l) => l.startsWith('flush chain'))).toBe(true)
    expect(lines.filter((l) => l.startsWith('delete set')).length).toBe(2)
    expect(staleObjects(before, before).trim()).toBe('')
  })
})
