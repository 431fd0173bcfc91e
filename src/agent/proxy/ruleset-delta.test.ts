import { expect, test } from 'bun:test'
import { ruleset } from './ruleset.ts'
import { rulesetDelta } from './ruleset-delta.ts'
import { node, opts, scenarios, slice, svc } from './ruleset-scenarios.ts'

const text = (name: string) => {
  const s = scenarios.find((x) => x.name === name)!
  return ruleset(s.services, s.slices, node, { ...opts, ...s.opts })
}

test('no change: only the table line', () => {
  const t = text('session-affinity')
  expect(rulesetDelta(t, t, 'kubun-proxy')).toBe('add table ip kubun-proxy\n')
})

test('one endpoint changed: one service chain rewritten, one endpoint chain deleted, nothing else', () => {
  const services = [svc('web', { clusterIP: '10.43.0.20', ports: [{ name: 'http', port: 80 }] })]
  const two = slice('web', [{ name: 'http', port: 80 }], [{ addresses: ['10.42.0.5'] }, { addresses: ['10.42.0.6'] }])
  const one = slice('web', [{ name: 'http', port: 80 }], [{ addresses: ['10.42.0.5'] }])
  const delta = rulesetDelta(ruleset(services, [two], node, opts), ruleset(services, [one], node, opts), 'kubun-proxy')
  const lines = delta.trim().split('\n')
  expect(lines.filter((l) => l.startsWith('flush chain')).map((l) => l.split(' ')[4].split('-')[0])).toEqual([
    'service',
    'endpoint',
  ])
  expect(lines.filter((l) => l.startsWith('delete chain'))).toHaveLength(1)
  expect(lines.some((l) => l.includes('element'))).toBe(false)
  expect(lines.length).toBeLessThan(8)
})

test('a removed service deletes its map elements, chains and affinity sets', () => {
  const delta = rulesetDelta(text('session-affinity'), text('empty'), 'kubun-proxy')
  expect(delta).toContain('delete element ip kubun-proxy service-ips { 10.43.0.20 . tcp . 80 }')
  expect(delta).toContain('delete element ip kubun-proxy cluster-ips { 10.43.0.20 }')
  expect(delta.match(/^delete chain /gm)).toHaveLength(3)
  expect(delta.match(/^delete set /gm)).toHaveLength(2)
  // elements go before the chains they point to
  expect(delta.indexOf('delete element')).toBeLessThan(delta.indexOf('delete chain'))
})

test('a verdict that changes (endpoints appear) is deleted and re-added', () => {
  const delta = rulesetDelta(text('no-endpoints-reject'), text('clusterip-two-endpoints'), 'kubun-proxy')
  expect(delta).toContain('delete element ip kubun-proxy no-endpoint-services { 10.43.0.20 . tcp . 80 }')
  expect(delta).toMatch(/add element ip kubun-proxy service-ips \{ 10\.43\.0\.20 \. tcp \. 80 : goto service-/)
})
