// Issue 5's acceptance as a user runs it: `kubun server` with exactly the documented flags (no
// --bind-address, the in-process agent on), a busybox image the user imported without a registry,
// then only kubectl and curl: create deployment + expose NodePort, logs (also --previous while a
// container crash-loops), configMap/secret volumes read-only, a server restart (SIGTERM, then
// kill -9) during which the NodePort keeps answering and no container is restarted, and
// `kubun killall` leaving nothing behind. One server for the whole file (one agent per host).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildBusyboxImage, canRunKubeletE2E, curl, KUBECTL, sh, waitFor } from './kubelet-harness.ts'

const enabled = canRunKubeletE2E('acceptance (issue 5) e2e')
const ROOT = join(import.meta.dir, '../..')
const IMAGE = `accbusybox:${Math.random().toString(16).slice(2, 8)}`
const dir = mkdtempSync(join(tmpdir(), 'kubun-acc-'))
const dataDir = join(dir, 'data')
const port = 20000 + Math.floor(Math.random() * 20000)
const env = { KUBECONFIG: join(dir, 'kubeconfig.yaml'), KUBECACHEDIR: join(dir, 'cache') }
let server: ReturnType<typeof Bun.spawn> | undefined
let log = ''

const kubectl = async (args: string[], stdin?: string) => (await sh([KUBECTL, ...args], { env, stdin })).stdout
const json = async (args: string[]) => JSON.parse(await kubectl([...args, '-o', 'json']))

async function startServer(): Promise<void> {
  const before = log.split('agent ready').length
  server = Bun.spawn(
    [
      'bun',
      join(ROOT, 'src/main.ts'),
      'server',
      '--data-dir',
      dataDir,
      '--https-listen-port',
      String(port),
      '--write-kubeconfig',
      env.KUBECONFIG,
    ],
    { stdout: 'pipe', stderr: 'pipe' },
  )
  for (const s of [server.stdout, server.stderr])
    void (async () => {
      for await (const chunk of s as ReadableStream<Uint8Array>) log += new TextDecoder().decode(chunk)
    })()
  await waitFor(
    'agent ready',
    async () => log.split('agent ready').length > before,
    60_000,
    () => log,
  )
}

/** Pod name → [containerID, restartCount] of its first container. */
async function containers(selector: string): Promise<Record<string, [string, number]>> {
  const list = await json(['get', 'pods', '-l', selector])
  const out: Record<string, [string, number]> = {}
  for (const p of list.items) {
    const s = p.status?.containerStatuses?.[0]
    out[p.metadata.name] = [s?.containerID, s?.restartCount]
  }
  return out
}

describe.skipIf(!enabled)('issue 5 acceptance: one `kubun server`, kubectl and curl', () => {
  let nodeUrl = ''
  let nodeName = ''
  beforeAll(async () => {
    await buildBusyboxImage(IMAGE)
    await startServer()
    nodeName = (await json(['get', 'nodes'])).items[0].metadata.name
  }, 120_000)

  afterAll(async () => {
    server?.kill('SIGKILL')
    await server?.exited
    await sh(['bun', join(ROOT, 'src/main.ts'), 'killall', '--data-dir', dataDir], { allowFail: true })
    await sh(['docker', 'rmi', '-f', IMAGE], { allowFail: true })
    rmSync(dir, { recursive: true, force: true })
  }, 60_000)

  test('create deployment + expose NodePort: both replicas answer on the node IP', async () => {
    await kubectl([
      'create',
      'deployment',
      'web',
      `--image=${IMAGE}`,
      '--replicas=2',
      '--',
      'sh',
      '-c',
      'mkdir /w && hostname > /w/index.html && exec httpd -f -p 8080 -h /w',
    ])
    await kubectl(['expose', 'deployment', 'web', '--port', '80', '--target-port', '8080', '--type', 'NodePort'])
    await kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s'])
    const svc = await json(['get', 'svc', 'web'])
    const node = (await json(['get', 'nodes'])).items[0]
    const ip = node.status.addresses.find((a: { type: string }) => a.type === 'InternalIP').address
    nodeUrl = `http://${ip}:${svc.spec.ports[0].nodePort}/`
    const names = Object.keys(await containers('app=web'))
    const seen = new Set<string>()
    await waitFor('both replicas through the NodePort', async () => {
      seen.add((await curl(nodeUrl)).trim())
      return names.every((n) => seen.has(n))
    })
    expect(await curl(`http://${svc.spec.clusterIP}/`)).toMatch(/^web-/)
  }, 90_000)

  test('logs --previous of a crash-looping container; configMap and secret volumes are read-only', async () => {
    await kubectl(
      ['apply', '-f', '-'],
      `
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {greeting: hello-cm}
---
apiVersion: v1
kind: Secret
metadata: {name: sec}
stringData: {password: s3cr3t}
---
apiVersion: v1
kind: Pod
metadata: {name: crasher}
spec:
  containers:
  - name: c
    image: ${IMAGE}
    command: [sh, -c, 'echo attempt; cat /cfg/greeting /sec/password; echo x > /cfg/greeting || echo cm-ro; echo x > /sec/password || echo secret-ro; exit 3']
    volumeMounts: [{name: cfg, mountPath: /cfg}, {name: sec, mountPath: /sec}]
  volumes:
  - {name: cfg, configMap: {name: cfg}}
  - {name: sec, secret: {secretName: sec}}
`,
    )
    await waitFor(
      'crasher in CrashLoopBackOff',
      async () =>
        (await json(['get', 'pod', 'crasher'])).status?.containerStatuses?.[0]?.state?.waiting?.reason ===
        'CrashLoopBackOff',
    )
    // While no new attempt exists, --previous is the attempt that just exited (upstream lastState).
    const previous = await kubectl(['logs', 'crasher', '--previous'])
    expect(previous).toContain('attempt\n')
    expect(previous).toContain('hello-cms3cr3t')
    expect(previous).toContain('cm-ro')
    expect(previous).toContain('secret-ro')
    await kubectl(['delete', 'pod', 'crasher', '--grace-period=0', '--force'])
  }, 60_000)

  test('server restart (SIGTERM, then kill -9): the NodePort keeps serving, no container restarts', async () => {
    const before = await containers('app=web')
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      let failures = 0
      let probes = 0
      let stop = false
      const loop = (async () => {
        while (!stop) {
          probes++
          if (!(await curl(nodeUrl))) failures++
          await Bun.sleep(100)
        }
      })()
      server?.kill(signal)
      await server?.exited
      await startServer()
      await waitFor('web Ready again', async () => {
        const d = await json(['get', 'deployment', 'web'])
        return d.status?.readyReplicas === 2
      })
      stop = true
      await loop
      expect({ signal, failures }).toEqual({ signal, failures: 0 })
      expect(probes).toBeGreaterThan(0)
      expect(await containers('app=web')).toEqual(before)
    }
  }, 150_000)

  test('killall with the server still running stops it and leaves no container, bridge or nft table', async () => {
    const out = (await sh(['bun', join(ROOT, 'src/main.ts'), 'killall', '--data-dir', dataDir])).stdout
    expect(out).toContain(`stopped kubun (pid ${server?.pid})`)
    await server?.exited
    server = undefined
    const left = await sh(['docker', 'ps', '-aq', '--filter', `label=io.kubun.node=${nodeName}`])
    expect(left.stdout.trim()).toBe('')
    expect((await sh(['ip', 'link', 'show', 'cni0'], { allowFail: true })).code).not.toBe(0)
    expect((await sh(['nft', 'list', 'tables'])).stdout).not.toContain('kubun')
  }, 60_000)
})
