// The real kubectl reads our OpenAPI v3 documents: `explain` prints upstream field descriptions, and the
// PATCH operation's fieldValidation parameter makes `apply` leave validation to the server.
// A throwaway HTTPS server with just /version, aggregated discovery and /openapi/v3 stands in for kubun.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { builtinRegistry, defFromCrd, groupVersion, type ResourceDef } from '../../registry/index.ts'
import { OpenApiCache } from './cache.ts'

// kubectl start-up dominates; a loaded CI machine needs more than bun's default 5 s.
setDefaultTimeout(30_000)

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'
const haveTools = existsSync(KUBECTL) && spawnSync('openssl', ['version']).status === 0
const DISCOVERY = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'

function discovery(defs: ResourceDef[], core: boolean) {
  const groups = new Map<string, Map<string, ResourceDef[]>>()
  for (const d of defs) {
    if ((d.group === '') !== core) continue
    const versions = groups.get(d.group) ?? new Map()
    versions.set(d.version, [...(versions.get(d.version) ?? []), d])
    groups.set(d.group, versions)
  }
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: [...groups].map(([group, versions]) => ({
      metadata: { name: group },
      versions: [...versions].map(([version, ds]) => ({
        version,
        freshness: 'Current',
        resources: ds.map((d) => ({
          resource: d.plural,
          responseKind: { group: d.group, version: d.version, kind: d.kind },
          scope: d.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: d.singular,
          shortNames: d.shortNames,
          categories: d.categories,
          verbs: d.verbs ?? ['get', 'list', 'patch', 'create', 'update', 'delete', 'deletecollection', 'watch'],
        })),
      })),
    })),
  }
}

const WIDGET_CRD = {
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description: 'A Widget is a test custom resource.',
            properties: {
              spec: {
                type: 'object',
                properties: { color: { type: 'string', description: 'Color of the widget.', enum: ['red', 'blue'] } },
              },
            },
          },
        },
      },
    ],
  },
}

let dir = ''
let server: ReturnType<typeof Bun.serve> | undefined
const requests: string[] = []
const objects = new Map<string, unknown>()
const patches: { type: string; body: any }[] = []

// Asynchronous: the server runs in this process, so a blocking spawn would starve it.
async function kubectl(...args: string[]) {
  const p = Bun.spawn([KUBECTL, '--kubeconfig', join(dir, 'kubeconfig'), ...args], {
    env: { ...process.env, KUBECACHEDIR: join(dir, 'cache'), HOME: dir },
    stdout: 'pipe',
    stderr: 'pipe',
    timeout: 30_000,
  })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  return { out, err, code }
}

describe.skipIf(!haveTools)('kubectl 1.32 against the generated OpenAPI', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubun-openapi-'))
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    )
    const registry = builtinRegistry()
    const cache = new OpenApiCache(registry)
    // Added after the cache exists: onChange must invalidate it.
    cache.v3Index()
    registry.add(defFromCrd(WIDGET_CRD, 'v1'))
    server = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      tls: { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') },
      fetch(req) {
        const url = new URL(req.url)
        requests.push(`${req.method} ${url.pathname}${url.search}`)
        const json = (body: unknown, type = 'application/json') =>
          new Response(typeof body === 'string' ? body : JSON.stringify(body), { headers: { 'content-type': type } })
        if (url.pathname === '/version')
          return json({ major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' })
        if (url.pathname === '/api') return json(discovery(registry.all(), true), DISCOVERY)
        if (url.pathname === '/apis') return json(discovery(registry.all(), false), DISCOVERY)
        if (url.pathname === '/openapi/v3') return json(cache.v3Index().body)
        if (url.pathname.startsWith('/openapi/v3/')) {
          const doc = cache.document(url.pathname.slice('/openapi/v3/'.length))
          if (doc) return json(doc.body)
        }
        if (url.pathname === '/openapi/v2') return json(cache.v2Document().body)
        // A tiny object store so apply can create, then compute a patch against what it stored.
        if (req.method === 'GET') {
          const stored = objects.get(url.pathname)
          if (stored) return json(stored)
          return new Response(
            JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }),
            { status: 404, headers: { 'content-type': 'application/json' } },
          )
        }
        if (req.method === 'POST')
          return req.text().then((t) => {
            const o = JSON.parse(t)
            objects.set(`${url.pathname}/${o.metadata.name}`, {
              ...o,
              metadata: { ...o.metadata, resourceVersion: '1' },
            })
            return new Response(t, { status: 201, headers: { 'content-type': 'application/json' } })
          })
        if (req.method === 'PATCH')
          return req.text().then((t) => {
            patches.push({ type: req.headers.get('content-type') ?? '', body: JSON.parse(t) })
            return json(objects.get(url.pathname))
          })
        return new Response('not found', { status: 404 })
      },
    })
    writeFileSync(
      join(dir, 'kubeconfig'),
      `apiVersion: v1
kind: Config
clusters: [{name: t, cluster: {server: "https://127.0.0.1:${server.port}", insecure-skip-tls-verify: true}}]
users: [{name: t, user: {token: test}}]
contexts: [{name: t, context: {cluster: t, user: t, namespace: default}}]
current-context: t
`,
    )
  })
  afterAll(() => {
    server?.stop(true)
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  test('explain prints container field descriptions', async () => {
    const r = await kubectl('explain', 'deployment.spec.template.spec.containers')
    expect(r.err).toBe('')
    expect(r.out).toContain('KIND:       Deployment')
    expect(r.out).toContain('GROUP:      apps')
    expect(r.out).toContain('VERSION:    v1')
    expect(r.out).toContain('A single application container that you want to run within a pod.')
    expect(r.out).toMatch(/image\s+<string>/)
    expect(r.out).toContain('Container image name.')
    expect(r.out).toMatch(/name\s+<string> -required-/)
  })

  test('explain walks into references and enums', async () => {
    const r = await kubectl('explain', 'pods.spec.containers.imagePullPolicy')
    expect(r.out).toContain('Image pull policy.')
    expect(r.out).toContain('ENUM:')
    const svc = await kubectl('explain', 'service.spec.ports.targetPort')
    expect(svc.out).toContain('Number or name of the port to access on the pods targeted by the service.')
  })

  test('apiVersion and kind read as upstream: described free strings, no enum', async () => {
    const r = await kubectl('explain', 'pods', '--recursive')
    expect(r.out).toMatch(/apiVersion\s+<string>\n\s+kind\s+<string>\n/)
    expect(r.out).not.toContain('enum: v1')
    const k = await kubectl('explain', 'configmap.kind')
    expect(k.out).toContain('Kind is a string value representing the REST resource this object')
  })

  test('explain names IntOrString and Quantity fields as upstream', async () => {
    const port = await kubectl('explain', 'service.spec.ports.targetPort')
    expect(port.out).toContain('FIELD: targetPort <IntOrString>')
    const limits = await kubectl('explain', 'pods.spec.containers.resources.limits')
    expect(limits.out).toContain('FIELD: limits <map[string]Quantity>')
  })

  test('explain --recursive lists nested fields', async () => {
    const r = await kubectl('explain', 'cronjob.spec.jobTemplate.spec.template.spec', '--recursive')
    expect(r.out).toMatch(/containers\s+<\[\]Container> -required-/)
  })

  test('apply leaves validation to the server (fieldValidation=Strict, no client-side error)', async () => {
    writeFileSync(
      join(dir, 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\nbogus: field\n',
    )
    requests.length = 0
    const r = await kubectl('apply', '-f', join(dir, 'cm.yaml'))
    expect(r.err).toBe('')
    expect(
      requests.some(
        (l) => l.startsWith('POST /api/v1/namespaces/default/configmaps') && l.includes('fieldValidation=Strict'),
      ),
    ).toBe(true)
  })

  test('explain reads custom resources added at run time', async () => {
    const r = await kubectl('explain', 'widgets.spec.color')
    expect(r.err).toBe('')
    expect(r.out).toContain('Color of the widget.')
    const top = await kubectl('explain', 'widgets')
    expect(top.out).toContain('A Widget is a test custom resource.')
    expect(top.out).toMatch(/metadata\s+<ObjectMeta>/)
  })

  test('the v3 index lists every group-version with a hash', () => {
    const idx = JSON.parse(new OpenApiCache(builtinRegistry()).v3Index().body)
    for (const d of builtinRegistry().all())
      expect(idx.paths[d.group ? `apis/${groupVersion(d)}` : `api/${d.version}`].serverRelativeURL).toMatch(
        /\?hash=[0-9A-F]{128}$/,
      )
  })

  test('client-side apply of a change sends a strategic merge patch computed with our schemas', async () => {
    const deploy = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: c, image: ${image}, env: [{name: A, value: "1"}]}
`
    writeFileSync(join(dir, 'd.yaml'), deploy('nginx:1'))
    expect((await kubectl('apply', '-f', join(dir, 'd.yaml'))).err).toBe('')
    writeFileSync(join(dir, 'd.yaml'), deploy('nginx:2'))
    const r = await kubectl('apply', '-f', join(dir, 'd.yaml'))
    expect(r.err).toBe('')
    expect(r.out).toContain('deployment.apps/web configured')
    const p = patches.at(-1)!
    expect(p.type).toBe('application/strategic-merge-patch+json')
    // Containers merge by name: the patch names the container instead of replacing the list.
    expect(p.body.spec.template.spec.containers).toEqual([{ image: 'nginx:2', name: 'c' }])
    expect(p.body.spec.template.spec['$setElementOrder/containers']).toEqual([{ name: 'c' }])
  }, 30_000)
})
