import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HostPortStore, hostPortRuleset } from './hostport.ts'

const dir = mkdtempSync(join(tmpdir(), 'kubun-hostport-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('DNAT per mapping with a hairpin mark, sorted, first of a clash wins', () => {
  const text = hostPortRuleset([
    { id: 'b', podIP: '10.42.0.6', hostPort: 8080, containerPort: 80 },
    { id: 'a', podIP: '10.42.0.5', hostPort: 53, containerPort: 5353, protocol: 'UDP', hostIP: '192.168.1.10' },
    { id: 'c', podIP: '10.42.0.7', hostPort: 8080, containerPort: 80, hostIP: '0.0.0.0' },
  ])
  const rules = text.split('\n').filter((l) => l.startsWith('add rule ip kubun-hostport hostports'))
  expect(rules).toEqual([
    'add rule ip kubun-hostport hostports tcp dport 8080 ip saddr 10.42.0.6 meta mark set meta mark or 0x00002000',
    'add rule ip kubun-hostport hostports tcp dport 8080 dnat to 10.42.0.6:80',
    'add rule ip kubun-hostport hostports ip daddr 192.168.1.10 udp dport 53 ip saddr 10.42.0.5 meta mark set meta mark or 0x00002000',
    'add rule ip kubun-hostport hostports ip daddr 192.168.1.10 udp dport 53 dnat to 10.42.0.5:5353',
  ])
  expect(text).toStartWith('add table ip kubun-hostport\nflush table ip kubun-hostport\n')
})

test('the store keeps mappings per sandbox across instances and drops dead sandboxes', () => {
  const s = new HostPortStore(dir)
  s.set('sb1', '10.42.0.5', [{ hostPort: 8080, containerPort: 80 }])
  s.set('sb2', '10.42.0.6', [{ hostPort: 9090, containerPort: 90, protocol: 'UDP' }])
  const again = new HostPortStore(dir)
  expect(
    again
      .entries()
      .map((e) => `${e.id} ${e.podIP} ${e.hostPort}`)
      .sort(),
  ).toEqual(['sb1 10.42.0.5 8080', 'sb2 10.42.0.6 9090'])
  expect(again.reconcile(new Set(['sb2']))).toBe(true)
  expect(again.reconcile(new Set(['sb2']))).toBe(false)
  expect(again.delete('sb2')).toBe(true)
  expect(again.delete('sb2')).toBe(false)
  expect(again.entries()).toEqual([])
})
