// @kubernetes/client-node (the official JavaScript client) against `kubun server`: list, watch, create,
// patch. The client's TLS settings travel in an undici dispatcher, which Bun's fetch does not honour, so the
// scenario runs in a Bun child that trusts the server CA through NODE_EXTRA_CA_CERTS and authenticates
// with a ServiceAccount token (TokenRequest) bound to cluster-admin.
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

async function tokenKubeconfig(): Promise<{ kubeconfig: string; ca: string }> {
  await srv.ok(['-n', 'kube-system', 'create', 'serviceaccount', 'client-node'])
  await srv.ok([
    'create',
    'clusterrolebinding',
    'client-node',
    '--clusterrole=cluster-admin',
    '--serviceaccount=kube-system:client-node',
  ])
  const token = (await srv.ok(['-n', 'kube-system', 'create', 'token', 'client-node'])).trim()
  const admin = await Bun.file(srv.kubeconfig).text()
  const caData = /certificate-authority-data: (\S+)/.exec(admin)![1]
  const ca = join(srv.dir, 'server-ca.pem')
  await Bun.write(ca, Buffer.from(caData, 'base64'))
  const kubeconfig = join(srv.dir, 'token-kubeconfig.yaml')
  await Bun.write(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: kubun, cluster: {server: "https://127.0.0.1:${srv.port}", certificate-authority-data: ${caData}}}]
users: [{name: bot, user: {token: "${token}"}}]
contexts: [{name: kubun, context: {cluster: kubun, user: bot}}]
current-context: kubun
`,
  )
  return { kubeconfig, ca }
}

test('list, watch, create and patch with @kubernetes/client-node', async () => {
  const { kubeconfig, ca } = await tokenKubeconfig()
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, 'client-node-scenario.mjs'), kubeconfig], {
    cwd: join(import.meta.dir, '../..'),
    env: { ...process.env, NODE_EXTRA_CA_CERTS: ca },
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
  expect(steps.configmaps).toContain('c1')
  expect(steps.notFound).toBe(404)
  expect(steps.deployment).toEqual({ replicas: 3, containers: ['c', 'side'] })
  expect(steps.watch.filter((e: string) => e.endsWith(' w'))).toEqual(['ADDED w', 'MODIFIED w', 'DELETED w'])
})
