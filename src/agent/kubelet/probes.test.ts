import { describe, expect, test } from 'bun:test'
import { createServer } from 'node:net'
import type { Probe } from 'kubernetes-types/core/v1'
import { FakeRuntime } from '../runtime/fake.ts'
import { nextProbeState, resolvePort, runProbe } from './probes.ts'

describe('nextProbeState', () => {
  const probe: Probe = { successThreshold: 2, failureThreshold: 3 }
  test('flips only after consecutive outcomes', () => {
    let s = { ok: true, successes: 0, failures: 0 }
    const seq: [boolean, boolean][] = [
      [false, true],
      [false, true],
      [true, true],
      [false, true],
      [false, true],
      [false, false],
      [true, false],
      [true, true],
    ]
    for (const [success, want] of seq) {
      s = nextProbeState(s, success, probe)
      expect(s.ok).toBe(want)
    }
  })
})

test('resolvePort: number, numeric string, named port', () => {
  const c = { name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }
  expect(resolvePort(80, c)).toBe(80)
  expect(resolvePort('81', c)).toBe(81)
  expect(resolvePort('http', c)).toBe(8080)
  expect(() => resolvePort('nope', c)).toThrow('not a named port')
})

describe('runProbe', () => {
  const rt = new FakeRuntime()
  const container = { name: 'c' }
  test('exec: exit code decides', async () => {
    rt.execResults.set('ok', { exitCode: 0, output: '' })
    rt.execResults.set('bad', { exitCode: 1, output: 'nope' })
    expect(
      (await runProbe({ exec: { command: ['ok'] } }, { runtime: rt, containerId: 'x', container, podIP: '' })).ok,
    ).toBe(true)
    const r = await runProbe({ exec: { command: ['bad'] } }, { runtime: rt, containerId: 'x', container, podIP: '' })
    expect(r).toEqual({ ok: false, message: 'nope' })
  })

  test('httpGet: 2xx/3xx succeed, 500 fails; tcpSocket: open vs closed port', async () => {
    const srv = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch: (req) => new Response('x', { status: req.url.endsWith('/bad') ? 500 : 200 }),
    })
    const tcp = createServer(() => {}).listen(0, '127.0.0.1')
    await new Promise((r) => tcp.once('listening', r))
    const tcpPort = (tcp.address() as { port: number }).port
    try {
      const t = { runtime: rt, containerId: 'x', container, podIP: '127.0.0.1' }
      expect((await runProbe({ httpGet: { path: '/ok', port: srv.port as number } }, t)).ok).toBe(true)
      expect(await runProbe({ httpGet: { path: '/bad', port: srv.port as number } }, t)).toEqual({
        ok: false,
        message: 'HTTP probe failed with statuscode: 500',
      })
      expect((await runProbe({ tcpSocket: { port: tcpPort } }, t)).ok).toBe(true)
      tcp.close()
      await new Promise((r) => setTimeout(r, 20))
      expect((await runProbe({ tcpSocket: { port: tcpPort } }, t)).ok).toBe(false)
    } finally {
      srv.stop(true)
      tcp.close()
    }
  })
})
