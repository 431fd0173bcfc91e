// The `kubernetes` Service must point at an address pods can reach: with no --advertise-address the
// server advertises --node-ip, else the host's primary IPv4 (never loopback when it has another one),
// and its serving certificate carries that address.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { defaultRouteAddress, firstHostIpv4 } from '../../src/shared/host-address.ts'
import { startTestServer, type TestServer } from './kubectl-harness.ts'

setDefaultTimeout(60_000)
const hostIp = defaultRouteAddress() ?? firstHostIpv4()
let srv: TestServer
beforeAll(async () => {
  // a wildcard bind, as `kubun server` defaults to (the harness binds loopback otherwise)
  srv = await startTestServer({ args: ['--bind-address', '0.0.0.0'] })
}, 90_000)
afterAll(async () => {
  await srv?.stop()
})

test.skipIf(!hostIp)('the kubernetes endpoints and slice carry the host address and the https port', async () => {
  const read = async (args: string[]) => {
    for (let i = 0; i < 100; i++) {
      const r = await srv.kubectl(args)
      if (r.code === 0 && r.stdout.trim()) return r.stdout.trim()
      await Bun.sleep(100)
    }
    throw new Error(`no answer to kubectl ${args.join(' ')}:\n${srv.log()}`)
  }
  const ep = await read([
    'get',
    'endpoints',
    'kubernetes',
    '-o',
    'jsonpath={.subsets[0].addresses[0].ip}:{.subsets[0].ports[0].port}',
  ])
  expect(ep).toBe(`${hostIp}:${srv.port}`)
  const slice = await read(['get', 'endpointslice', 'kubernetes', '-o', 'jsonpath={.endpoints[0].addresses[0]}'])
  expect(slice).toBe(hostIp as string)
  const pem = readFileSync(join(srv.dir, 'data', 'server', 'tls', 'serving.crt'), 'utf8')
  expect(new X509Certificate(pem).subjectAltName).toContain(`IP Address:${hostIp}`)
})
