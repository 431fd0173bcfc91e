// A separate `kubun agent` joining a `kubun server --disable-agent` the way a remote node does: a wrong
// token is one clear error line and a retry (the process stays up), the right token from
// <data-dir>/server/node-token registers the node (labels, taints from flags) and it runs pods; SIGTERM
// stops the agent with exit 0 and the pod keeps running.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { killall } from '../../src/agent/killall.ts'
import { DockerRuntime } from '../../src/agent/runtime/docker.ts'
import { buildBusyboxImage, canRunKubeletE2E, KUBECTL, sh, waitFor } from './kubelet-harness.ts'

const enabled = canRunKubeletE2E('cluster agent e2e')
const ROOT = join(import.meta.dir, '../..')
const IMAGE = `kubun-e2e/busybox:${Math.random().toString(16).slice(2, 8)}`
const nodeName = `agent-${Math.random().toString(16).slice(2, 8)}`
const dir = mkdtempSync(join(tmpdir(), 'kubun-agent-e2e-'))
const port = 20000 + Math.floor(Math.random() * 20000)
const env = { KUBECONFIG: join(dir, 'kubeconfig.yaml'), KUBECACHEDIR: join(dir, 'cache') }
const procs: ReturnType<typeof Bun.spawn>[] = []
const logs = new Map<ReturnType<typeof Bun.spawn>, string>()

function spawn(args: string[]) {
  const p = Bun.spawn(['bun', join(ROOT, 'src/main.ts'), ...args], { stdout: 'pipe', stderr: 'pipe' })
  procs.push(p)
  logs.set(p, '')
  for (const s of [p.stdout, p.stderr])
    void (async () => {
      for await (const chunk of s as ReadableStream<Uint8Array>)
        logs.set(p, (logs.get(p) ?? '') + new TextDecoder().decode(chunk))
    })()
  return p
}

const kubectl = async (args: string[]) => (await sh([KUBECTL, ...args], { env })).stdout

describe.skipIf(!enabled)('kubun agent joins a server', () => {
  let server: ReturnType<typeof Bun.spawn>
  beforeAll(async () => {
    await buildBusyboxImage(IMAGE)
    server = spawn([
      'server',
      '--data-dir',
      join(dir, 'server'),
      '--https-listen-port',
      String(port),
      '--bind-address',
      '127.0.0.1',
      '--write-kubeconfig',
      env.KUBECONFIG,
      '--disable-agent',
    ])
    await waitFor('server ready', async () => (logs.get(server) ?? '').includes('kubun server ready'), 60_000)
  }, 90_000)

  afterAll(async () => {
    for (const p of procs) p.kill('SIGKILL')
    await Promise.all(procs.map((p) => p.exited))
    await killall({ dataDir: join(dir, 'agent'), runtime: new DockerRuntime(), nodeName }).catch(() => {})
    await sh(['docker', 'rmi', '-f', IMAGE], { allowFail: true })
    rmSync(dir, { recursive: true, force: true })
  }, 60_000)

  test('a wrong token is one clear error line and a retry, not a crash', async () => {
    const bad = spawn([
      'agent',
      '--server',
      `https://127.0.0.1:${port}`,
      '--token',
      'K10aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa::node:wrong',
      '--data-dir',
      join(dir, 'bad'),
      '--node-name',
      `${nodeName}-bad`,
    ])
    await waitFor('the CA-hash error', async () => (logs.get(bad) ?? '').includes('retrying in'), 20_000)
    expect(logs.get(bad)).toContain("the server's CA does not match the hash in the token")
    expect(bad.exitCode).toBeNull()
    bad.kill('SIGTERM')
    expect(await bad.exited).toBe(0)
  }, 30_000)

  test('the right token registers the node with flags, runs a pod; SIGTERM leaves it running', async () => {
    const token = readFileSync(join(dir, 'server', 'server', 'node-token'), 'utf8').trim()
    const agent = spawn([
      'agent',
      '--server',
      `https://127.0.0.1:${port}`,
      '--token',
      token,
      '--data-dir',
      join(dir, 'agent'),
      '--node-name',
      nodeName,
      '--node-label',
      'tier=edge',
      '--node-taint',
      'dedicated=edge:NoSchedule',
    ])
    await waitFor(
      'agent ready',
      async () => (logs.get(agent) ?? '').includes('agent ready'),
      60_000,
      () => logs.get(agent) ?? '',
    )
    const node = JSON.parse(await kubectl(['get', 'node', nodeName, '-o', 'json']))
    expect(node.metadata.labels.tier).toBe('edge')
    expect(node.metadata.labels['node-role.kubernetes.io/control-plane']).toBeUndefined()
    expect(node.spec.taints).toContainEqual({ key: 'dedicated', value: 'edge', effect: 'NoSchedule' })
    await sh([KUBECTL, 'apply', '-f', '-'], {
      env,
      stdin: `
apiVersion: v1
kind: Pod
metadata: {name: edge}
spec:
  tolerations: [{key: dedicated, operator: Exists}]
  containers: [{name: c, image: ${IMAGE}, command: ["sleep", "3600"]}]
`,
    })
    await waitFor(
      'edge Running',
      async () => JSON.parse(await kubectl(['get', 'pod', 'edge', '-o', 'json'])).status?.phase === 'Running',
      60_000,
      () => logs.get(agent) ?? '',
    )
    agent.kill('SIGTERM')
    expect(await agent.exited).toBe(0)
    const running = await sh(['docker', 'ps', '-q', '--filter', `label=io.kubun.node=${nodeName}`])
    expect(running.stdout.split('\n').filter(Boolean)).toHaveLength(2)
  }, 120_000)
})
