// The decoder in front of the real kubectl, live: a throwaway TLS server decodes each protobuf
// POST with decodeKubeProtobuf and answers JSON (as kubun's API does). kubectl must take the
// reply, and the object must equal what the same command prints with --dry-run=client -o json.
// Skipped where the kubectl binaries or openssl are missing.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeKubeProtobuf } from './decode-kube-protobuf.ts'

const KUBECTL = (minor: string) => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`
const MINORS = ['32', '33'].filter((m) => existsSync(KUBECTL(m)))
const hasOpenssl = Bun.which('openssl') !== null
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'

const resource = (group: string, resource: string, kind: string) => ({
  resource,
  responseKind: { group, version: 'v1', kind },
  scope: 'Namespaced',
  singularResource: kind.toLowerCase(),
  verbs: ['create', 'get', 'list'],
})
const discovery = (items: unknown[]) => ({
  kind: 'APIGroupDiscoveryList',
  apiVersion: 'apidiscovery.k8s.io/v2',
  metadata: {},
  items,
})
const CORE = discovery([
  {
    metadata: { name: '' },
    versions: [{ version: 'v1', freshness: 'Current', resources: [resource('', 'secrets', 'Secret')] }],
  },
])
const APIS = discovery([
  {
    metadata: { name: 'apps' },
    versions: [{ version: 'v1', freshness: 'Current', resources: [resource('apps', 'deployments', 'Deployment')] }],
  },
])

describe.skipIf(MINORS.length === 0 || !hasOpenssl)('real kubectl against decodeKubeProtobuf', () => {
  let dir: string
  let server: ReturnType<typeof Bun.serve>
  let kubeconfig: string
  const received: { contentType: string; object: unknown }[] = []

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubun-pb-live-'))
    const key = join(dir, 'key.pem')
    const cert = join(dir, 'cert.pem')
    const ssl = Bun.spawnSync([
      'openssl',
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
    ])
    if (ssl.exitCode !== 0) throw new Error(ssl.stderr.toString())
    server = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      tls: { cert: Bun.file(cert), key: Bun.file(key) },
      async fetch(req) {
        const path = new URL(req.url).pathname
        if (req.method === 'POST') {
          const contentType = req.headers.get('content-type') ?? ''
          const { object } = decodeKubeProtobuf(new Uint8Array(await req.arrayBuffer()))
          received.push({ contentType, object })
          return Response.json(object, { status: 201 })
        }
        if (path === '/version') return Response.json({ major: '1', minor: '33', gitVersion: 'v1.33.0' })
        if (path === '/api' || path === '/apis')
          return new Response(JSON.stringify(path === '/api' ? CORE : APIS), {
            headers: { 'content-type': AGGREGATED },
          })
        return Response.json({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404 }, { status: 404 })
      },
    })
    kubeconfig = join(dir, 'kubeconfig')
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:${server.port}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: live-test}}]
contexts: [{name: c, context: {cluster: c, user: u, namespace: default}}]
current-context: c
`,
    )
  })

  afterAll(() => {
    server?.stop(true)
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  async function kubectl(minor: string, args: string[]) {
    const env = { ...process.env, KUBECACHEDIR: join(dir, `cache-${minor}`), HOME: dir }
    const p = Bun.spawn([KUBECTL(minor), '--kubeconfig', kubeconfig, ...args], { env, stdout: 'pipe', stderr: 'pipe' })
    const [stdout, stderr, code] = await Promise.all([
      new Response(p.stdout).text(),
      new Response(p.stderr).text(),
      p.exited,
    ])
    return { stdout, stderr, code }
  }

  const CASES: [string, string[]][] = [
    ['secret', ['create', 'secret', 'generic', 'live', '--from-literal=token=abc', '--from-literal=empty=']],
    ['deployment', ['create', 'deployment', 'live', '--image=nginx', '--replicas=0', '--port=80']],
  ]

  for (const minor of MINORS)
    test.each(CASES)(`kubectl 1.${minor} create %s`, async (_, args) => {
      received.length = 0
      const run = await kubectl(minor, args)
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      expect(received).toHaveLength(1)
      expect(received[0].contentType).toBe('application/vnd.kubernetes.protobuf')
      const dry = await kubectl(minor, [...args, '--dry-run=client', '-o=json'])
      const printed = JSON.parse(dry.stdout, (_, v) => (v === null ? undefined : v))
      expect(received[0].object).toEqual(printed)
    })
})
