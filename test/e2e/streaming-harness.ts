// For the streaming end-to-end test: a kubun server child (--disable-agent), the kubelet API in this
// process over real Docker, and one container created the way the kubelet names and labels it, on
// Docker's default bridge so the node (this host) reaches its IP — plus the Node and Pod objects that
// point the API server at it. Everything is removed by the clean-up, even when a step fails.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DockerRuntime } from '../../src/agent/runtime/docker.ts'
import { startKubeletApi } from '../../src/agent/streaming/index.ts'
import { joinServer } from '../../src/server/join/join-server.ts'
import { startTestServer, type TestServer } from '../integration/kubectl-harness.ts'
import { Cleanup, rand, run } from './network-harness.ts'

export const KUBECTLS = [
  ['1.32', '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'],
  ['1.33', '/usr/lib/google-cloud-sdk/bin/kubectl.1.33'],
] as const

function dockerUp(): boolean {
  if (!Bun.which('docker')) return false
  return Bun.spawnSync(['docker', 'info', '--format', '{{.ServerVersion}}'], { stdout: 'ignore', stderr: 'ignore' })
    .success
}

export function canRunStreamingE2E(): boolean {
  const missing = [
    process.getuid?.() !== 0 && 'root',
    !Bun.which('busybox') && 'busybox-static',
    !dockerUp() && 'a running dockerd',
    ...KUBECTLS.filter(([, b]) => !Bun.file(b).size).map(([v]) => `kubectl ${v}`),
  ].filter(Boolean)
  if (missing.length)
    console.warn(`SKIPPED streaming e2e: needs ${missing.join(', ')} (CI runs it as root with Docker)`)
  return missing.length === 0
}

const APPLETS = ['sh', 'tar', 'nc', 'httpd', 'echo', 'cat', 'ls', 'sleep', 'mkdir', 'printf', 'rm', 'head', 'stty', '[']

/** busybox-static as an image (`docker import`, no registry) with tar for kubectl cp and a web page. */
async function buildImage(tag: string, cleanup: Cleanup): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kbs-rootfs-'))
  try {
    for (const d of ['bin', 'www', 'tmp']) mkdirSync(join(dir, d))
    writeFileSync(join(dir, 'bin/busybox'), await Bun.file(Bun.which('busybox')!).bytes(), { mode: 0o755 })
    for (const a of APPLETS) symlinkSync('busybox', join(dir, 'bin', a))
    writeFileSync(join(dir, 'www/index.html'), 'hello from the pod\n')
    const tar = `${dir}.tar`
    await run(['tar', '-C', dir, '-cf', tar, '.'])
    cleanup.add(() => rmSync(tar, { force: true }))
    await run(['docker', 'import', '--change', 'CMD ["/bin/sh"]', tar, tag])
    cleanup.add(() => run(['docker', 'rmi', '-f', tag], { allowFail: true }))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export interface StreamingEnv {
  server: TestServer
  node: string
  pod: string
  kubeletPort: number
  /** pod IP on Docker's bridge */
  podIp: string
  cleanup: Cleanup
}

export async function startStreamingEnv(): Promise<StreamingEnv> {
  const cleanup = new Cleanup()
  try {
    const id = rand()
    const image = `kubun-stream-test:${id}`
    const node = `stream-node-${id}`
    const pod = `streampod-${id}`
    const uid = crypto.randomUUID()
    await buildImage(image, cleanup)

    const server = await startTestServer()
    cleanup.add(() => server.stop())
    // Join as an agent does: the answer carries the kubelet API's serving certificate and the client CA.
    const joined = await joinServer({
      server: `https://127.0.0.1:${server.port}`,
      token: readFileSync(join(server.dir, 'data', 'server', 'node-token'), 'utf8').trim(),
      nodeName: node,
      nodePassword: `pw-${id}`,
      servingIps: ['127.0.0.1'],
    })
    const kubelet = await startKubeletApi({ joined, runtime: new DockerRuntime(), host: '127.0.0.1', port: 0 })
    cleanup.add(() => kubelet.stop())

    // The app container as the kubelet would create it: attempt 0 ran and exited (kubectl logs
    // --previous), attempt 1 serves (stderr first so stdout's last line is known).
    // No pod uid label: a kubelet running on the same Docker (another test) would remove it as an orphan.
    const labels = {
      'io.kubernetes.docker.type': 'container',
      'io.kubernetes.pod.name': pod,
      'io.kubernetes.pod.namespace': 'default',
      'io.kubernetes.container.name': 'web',
    }
    const container = async (attempt: number, detach: boolean, script: string) => {
      const name = `k8s_web_${pod}_default_${uid}_${attempt}`
      cleanup.add(() => run(['docker', 'rm', '-f', name], { allowFail: true }))
      const flags = Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`])
      // The first attempt exits 1 on purpose (a crashed container to read --previous logs of).
      await run(['docker', 'run', ...(detach ? ['-d'] : []), '--name', name, ...flags, image, 'sh', '-c', script], {
        allowFail: !detach,
      })
      return name
    }
    await container(0, false, 'echo from the previous attempt; exit 1')
    const name = await container(
      1,
      true,
      'echo starting >&2; sleep 0.3; echo line1; echo line2; exec httpd -f -p 80 -h /www',
    )
    const podIp = (await run(['docker', 'inspect', '-f', '{{.NetworkSettings.IPAddress}}', name])).stdout.trim()

    await server.ok(['create', '-f', '-'], {
      stdin: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: node } }),
    })
    await server.ok([
      'patch',
      'node',
      node,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({
        status: {
          addresses: [
            { type: 'InternalIP', address: '127.0.0.1' },
            { type: 'Hostname', address: node },
          ],
          daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } },
        },
      }),
    ])
    await server.ok(['create', '-f', '-'], {
      stdin: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: pod, namespace: 'default' },
        spec: { nodeName: node, containers: [{ name: 'web', image }] },
      }),
    })
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
    await server.ok([
      'patch',
      'pod',
      pod,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({
        status: {
          phase: 'Running',
          hostIP: '127.0.0.1',
          podIP: podIp,
          podIPs: [{ ip: podIp }],
          startTime: now,
          containerStatuses: [
            {
              name: 'web',
              image,
              imageID: '',
              ready: true,
              restartCount: 1,
              started: true,
              state: { running: { startedAt: now } },
              lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now } },
            },
          ],
        },
      }),
    ])
    return { server, node, pod, kubeletPort: kubelet.port, podIp, cleanup }
  } catch (e) {
    await cleanup.run()
    throw e
  }
}
