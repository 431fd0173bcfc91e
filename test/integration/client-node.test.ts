// @kubernetes/client-node (the official JavaScript client) against `kubun server`: list, watch, create,
// patch through the admin kubeconfig's client certificate. The client runs under Node: its TLS settings
// travel in an undici dispatcher, which Bun's fetch does not honour.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { join } from 'node:path'
import { startTestServer, type TestServer } from './kubectl-harness.ts'

setDefaultTimeout(60_000)
let srv: TestServer
beforeAll(async () => {
  srv = await startTestServer()
}, 90_000)
afterAll(async () => {
  await srv?.stop()
})

const node = Bun.which('node')

test.skipIf(!node)('list, watch, create and patch with @kubernetes/client-node', async () => {
  const proc = Bun.spawn([node!, join(import.meta.dir, 'client-node-scenario.mjs'), srv.kubeconfig], {
    cwd: join(import.meta.dir, '../..'),
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ])
  expect(code, `client-node scenario failed:\n${stderr}\n${stdout}`).toBe(0)
  const steps = Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .map((s) => [s.step, s.value]),
  )
  expect(steps.namespaces).toContain('cn')
  expect(steps.configmaps).toEqual(['c1'])
  expect(steps.notFound).toBe(404)
  expect(steps.deployment).toEqual({ replicas: 3, containers: ['c', 'side'] })
  expect(steps.watch).toEqual(['ADDED w', 'MODIFIED w', 'DELETED w'])
})
