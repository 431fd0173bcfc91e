// What users do every day with the real kubectl against `kubun server --disable-agent`, as one suite run
// per kubectl minor (kubectl.test.ts: 1.33 and the dispatcher, kubectl-132.test.ts: 1.32). One server per
// file; each test works in its own namespace.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { KUBECTL_DISPATCHER, readLinesUntil, startTestServer, type TestServer } from './kubectl-harness.ts'

export function kubectlSuite(label: string, bin: string): void {
  setDefaultTimeout(60_000)
  let srv: TestServer
  beforeAll(async () => {
    srv = await startTestServer({ kubectl: bin })
  }, 90_000)
  afterAll(async () => {
    await srv?.stop()
  })

  const deployment = (ns: string, image = 'nginx:1.25', replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports:
        - containerPort: 80
`

  /** JSON path (apply); `create namespace` (protobuf) has its own test. */
  async function namespace(name: string) {
    await srv.ok(['apply', '-f', '-'], {
      stdin: `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"${name}"}}`,
    })
  }

  describe(label, () => {
    test('the dispatcher picks the server minor from /version', async () => {
      const out = JSON.parse(await srv.ok(['version', '-o', 'json'], { bin: KUBECTL_DISPATCHER }))
      expect(out.serverVersion.major).toBe('1')
      expect(out.serverVersion.minor).toBe('33')
    })

    test('kubun kubectl runs kubectl from PATH with the kubeconfig, passing the exit code through', async () => {
      const run = async (args: string[]) => {
        const p = Bun.spawn([process.execPath, 'src/main.ts', 'kubectl', '--kubeconfig', srv.kubeconfig, ...args], {
          cwd: `${import.meta.dir}/../..`,
          env: { PATH: process.env.PATH!, HOME: srv.dir, KUBECACHEDIR: `${srv.dir}/kubecache` },
          stdout: 'pipe',
          stderr: 'pipe',
        })
        const [out, err, code] = await Promise.all([
          new Response(p.stdout).text(),
          new Response(p.stderr).text(),
          p.exited,
        ])
        return { out, err, code }
      }
      const ok = await run(['get', 'namespace', 'kube-system', '-o', 'name'])
      expect(ok.code, ok.err).toBe(0)
      expect(ok.out.trim()).toBe('namespace/kube-system')
      const missing = await run(['get', 'namespace', 'no-such-namespace'])
      expect(missing.code, missing.err).toBe(1)
      expect(missing.err).toContain('namespaces "no-such-namespace" not found')
    })

    test('api-resources lists built-in kinds with short names and scope', async () => {
      const out = await srv.ok(['api-resources'])
      expect(out).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m)
      expect(out).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m)
      const cluster = await srv.ok(['api-resources', '--namespaced=false', '-o', 'name'])
      expect(cluster.split('\n')).toContain('nodes')
    })

    test('apply creates, leaves unchanged, then configures', async () => {
      await namespace('apply')
      expect(await srv.ok(['apply', '-f', '-'], { stdin: deployment('apply') })).toContain(
        'deployment.apps/web created',
      )
      expect(await srv.ok(['apply', '-f', '-'], { stdin: deployment('apply') })).toContain(
        'deployment.apps/web unchanged',
      )
      expect(await srv.ok(['apply', '-f', '-'], { stdin: deployment('apply', 'nginx:1.26') })).toContain(
        'deployment.apps/web configured',
      )
      const img = await srv.ok([
        '-n',
        'apply',
        'get',
        'deploy',
        'web',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ])
      expect(img).toBe('nginx:1.26')
    })

    test('strict validation rejects unknown fields', async () => {
      await namespace('strict')
      const bad = deployment('strict').replace('replicas: 2', 'replicas: 2\n  bogus: 1')
      const r = await srv.kubectl(['apply', '-f', '-'], { stdin: bad })
      expect(r.code, r.stderr).not.toBe(0)
      expect(r.stderr).toContain('bogus')
    })

    test('create from literals and generators (protobuf bodies)', async () => {
      await srv.ok(['create', 'namespace', 'gen'])
      await srv.ok(['-n', 'gen', 'create', 'configmap', 'cfg', '--from-literal=a=1', '--from-literal=b=2'])
      await srv.ok(['-n', 'gen', 'create', 'secret', 'generic', 'sec', '--from-literal=password=s3cret'])
      await srv.ok(['-n', 'gen', 'create', 'deployment', 'api', '--image=nginx', '--replicas=3'])
      await srv.ok(['-n', 'gen', 'create', 'service', 'clusterip', 'api', '--tcp=80:8080'])
      expect(await srv.ok(['-n', 'gen', 'get', 'cm', 'cfg', '-o', 'jsonpath={.data.b}'])).toBe('2')
      const pw = await srv.ok(['-n', 'gen', 'get', 'secret', 'sec', '-o', 'jsonpath={.data.password}'])
      expect(Buffer.from(pw, 'base64').toString()).toBe('s3cret')
      expect(await srv.ok(['-n', 'gen', 'get', 'deploy', 'api', '-o', 'jsonpath={.spec.replicas}'])).toBe('3')
      const ip = await srv.ok(['-n', 'gen', 'get', 'svc', 'api', '-o', 'jsonpath={.spec.clusterIP}'])
      expect(ip).toMatch(/^10\.43\.\d+\.\d+$/)
    })

    test('get in every output format', async () => {
      await namespace('out')
      await srv.ok(['apply', '-f', '-'], { stdin: deployment('out') })
      const table = await srv.ok(['-n', 'out', 'get', 'deployments'])
      expect(table).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m)
      expect(table).toMatch(/^web\s+\d\/2\s+\d\s+\d\s+\d+s$/m)
      const wide = await srv.ok(['-n', 'out', 'get', 'deploy', '-o', 'wide'])
      expect(wide).toMatch(/CONTAINERS\s+IMAGES\s+SELECTOR/)
      expect(wide).toContain('app=web')
      const json = JSON.parse(await srv.ok(['-n', 'out', 'get', 'deploy', 'web', '-o', 'json']))
      expect(json.metadata.uid).toBeTruthy()
      expect(await srv.ok(['-n', 'out', 'get', 'deploy', 'web', '-o', 'yaml'])).toContain('kind: Deployment')
      expect((await srv.ok(['-n', 'out', 'get', 'deploy', '-o', 'name'])).trim()).toBe('deployment.apps/web')
      const cc = await srv.ok(['-n', 'out', 'get', 'deploy', '-o', 'custom-columns=N:.metadata.name,R:.spec.replicas'])
      expect(cc).toMatch(/^web\s+2$/m)
      const ns = await srv.ok(['get', 'namespaces'])
      expect(ns).toMatch(/^kube-system\s+Active\s+\d+/m)
      expect(await srv.ok(['get', 'deploy', '-A'])).toMatch(/^out\s+web\s+\d\/2/m)
      const labels = await srv.ok(['-n', 'out', 'get', 'deploy', '--show-labels'])
      expect(labels).toContain('app=web')
      const sorted = await srv.ok(['get', 'ns', '--sort-by=.metadata.name', '-o', 'name'])
      expect(sorted.indexOf('namespace/default')).toBeLessThan(sorted.indexOf('namespace/kube-system'))
    })

    test('get -w streams changes', async () => {
      await namespace('watch')
      await srv.ok(['-n', 'watch', 'create', 'configmap', 'w0'])
      const proc = Bun.spawn([bin, '-n', 'watch', 'get', 'configmaps', '-w'], {
        env: {
          PATH: process.env.PATH!,
          HOME: srv.dir,
          KUBECONFIG: srv.kubeconfig,
          KUBECACHEDIR: `${srv.dir}/kubecache`,
        },
        stdin: 'ignore',
        stdout: 'pipe',
        stderr: 'pipe',
      })
      const lines = readLinesUntil(proc, (ls) => ls.some((l) => l.startsWith('w1 ')))
      // The watch starts after the initial list; create until the event shows up.
      const created = (async () => {
        for (let i = 1; i <= 30; i++) {
          await srv.ok(['-n', 'watch', 'create', 'configmap', `w${i}`])
          const got = await Promise.race([lines, Bun.sleep(300).then(() => undefined)])
          if (got) return
        }
      })()
      const out = await lines
      await created
      expect(out[0]).toMatch(/^NAME\s+DATA\s+AGE$/)
      expect(out.slice(1).join('\n')).toMatch(/^w1\s+0\s+\d+s$/m)
    })

    test('label, annotate and the three patch types', async () => {
      await namespace('patch')
      await srv.ok(['apply', '-f', '-'], { stdin: deployment('patch') })
      await srv.ok(['-n', 'patch', 'label', 'deploy', 'web', 'tier=front'])
      await srv.ok(['-n', 'patch', 'annotate', 'deploy', 'web', 'note=hello'])
      await srv.ok(['-n', 'patch', 'patch', 'deploy', 'web', '--type=merge', '-p', '{"spec":{"replicas":4}}'])
      await srv.ok([
        '-n',
        'patch',
        'patch',
        'deploy',
        'web',
        '--type=json',
        '-p',
        '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:json"}]',
      ])
      await srv.ok([
        '-n',
        'patch',
        'patch',
        'deploy',
        'web',
        '-p',
        '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}',
      ])
      const d = JSON.parse(await srv.ok(['-n', 'patch', 'get', 'deploy', 'web', '-o', 'json']))
      expect(d.metadata.labels.tier).toBe('front')
      expect(d.metadata.annotations.note).toBe('hello')
      expect(d.spec.replicas).toBe(4)
      expect(d.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`).sort()).toEqual([
        'nginx=nginx:json',
        'sidecar=busybox',
      ])
      await srv.ok(['-n', 'patch', 'label', 'deploy', 'web', 'tier-'])
      expect(await srv.ok(['-n', 'patch', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.labels}'])).not.toContain(
        'tier',
      )
    })

    test('scale and edit', async () => {
      await namespace('scale')
      await srv.ok(['apply', '-f', '-'], { stdin: deployment('scale') })
      expect(await srv.ok(['-n', 'scale', 'scale', 'deploy', 'web', '--replicas=5'])).toContain('scaled')
      expect(await srv.ok(['-n', 'scale', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('5')
      const r = await srv.kubectl(['-n', 'scale', 'scale', 'deploy', 'web', '--current-replicas=2', '--replicas=1'])
      expect(r.code, `${r.stderr}${r.stdout}`).not.toBe(0)
      await srv.ok(['-n', 'scale', 'edit', 'deploy', 'web'], {
        env: { EDITOR: "sed -i -e 's/replicas: 5/replicas: 7/'" },
      })
      expect(await srv.ok(['-n', 'scale', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('7')
    })

    test('replace with a stale object is a conflict; diff shows changes without persisting', async () => {
      await namespace('replace')
      await srv.ok(['-n', 'replace', 'create', 'configmap', 'c', '--from-literal=a=1'])
      const stale = await srv.ok(['-n', 'replace', 'get', 'cm', 'c', '-o', 'yaml'])
      await srv.ok(['-n', 'replace', 'patch', 'cm', 'c', '-p', '{"data":{"a":"2"}}'])
      const r = await srv.kubectl(['replace', '-f', '-'], { stdin: stale.replace('a: "1"', 'a: "3"') })
      expect(r.code, `${r.stderr}${r.stdout}`).not.toBe(0)
      expect(r.stderr).toContain('the object has been modified; please apply your changes to the latest version')

      const changed = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: replace}\ndata: {a: "9"}\n'
      const diff = await srv.kubectl(['diff', '-f', '-'], { stdin: changed })
      expect(diff.code, diff.stderr).toBe(1)
      expect(diff.stdout).toContain('+  a: "9"')
      expect(await srv.ok(['-n', 'replace', 'get', 'cm', 'c', '-o', 'jsonpath={.data.a}'])).toBe('2')
    })

    test('delete waits until the object is gone', async () => {
      await namespace('del')
      await srv.ok(['-n', 'del', 'create', 'configmap', 'gone'])
      expect(await srv.ok(['-n', 'del', 'delete', 'configmap', 'gone', '--dry-run=server'])).toContain('server dry run')
      expect(await srv.ok(['-n', 'del', 'get', 'configmap', 'gone', '-o', 'name'])).toContain('configmap/gone')
      expect(await srv.ok(['-n', 'del', 'delete', 'configmap', 'gone', '--wait=true'])).toContain(
        'configmap "gone" deleted',
      )
      const r = await srv.kubectl(['-n', 'del', 'get', 'configmap', 'gone'])
      expect(r.code, `${r.stderr}${r.stdout}`).toBe(1)
      expect(r.stderr).toContain('configmaps "gone" not found')
      await srv.ok(['apply', '-f', '-'], { stdin: deployment('del') })
      // The namespace empties and goes away, so kubectl's wait ends.
      expect(await srv.ok(['delete', 'namespace', 'del', '--timeout=30s'])).toContain('namespace "del" deleted')
      const ns = await srv.kubectl(['get', 'namespace', 'del'])
      expect(ns.stderr).toContain('namespaces "del" not found')
    })

    test('explain prints field descriptions from OpenAPI v3', async () => {
      const out = await srv.ok(['explain', 'deployment.spec.template.spec.containers'])
      expect(out).toContain('KIND:')
      expect(out).toContain('Deployment')
      expect(out).toMatch(/image\s+<string>/)
    })

    test('auth can-i, impersonation and whoami', async () => {
      expect((await srv.ok(['auth', 'can-i', 'create', 'deployments'])).trim()).toBe('yes')
      const r = await srv.kubectl(['auth', 'can-i', 'list', 'secrets', '--as', 'jane'])
      expect(r.stdout.trim()).toBe('no')
      await namespace('rbac')
      await srv.ok(['-n', 'rbac', 'create', 'rolebinding', 'jane-view', '--clusterrole=view', '--user=jane'])
      expect((await srv.ok(['-n', 'rbac', 'auth', 'can-i', 'list', 'pods', '--as', 'jane'])).trim()).toBe('yes')
      const denied = await srv.kubectl(['-n', 'default', 'get', 'pods', '--as', 'jane'])
      expect(denied.stderr).toContain(
        'User "jane" cannot list resource "pods" in API group "" in the namespace "default"',
      )
      // Create-only kinds: kubectl checks field validation support through /openapi/v2 (protobuf).
      const sar = `apiVersion: authorization.k8s.io/v1
kind: SubjectAccessReview
spec:
  user: jane
  resourceAttributes: {verb: list, resource: pods, namespace: rbac}
`
      expect(await srv.ok(['create', '-f', '-', '-o', 'jsonpath={.status.allowed}'], { stdin: sar })).toBe('true')
      const who = await srv.ok(['auth', 'whoami'])
      expect(who).toContain('system:admin')
      expect(who).toContain('system:masters')
    })

    test('server-side apply: conflict names the other manager, --force-conflicts takes over', async () => {
      await namespace('ssa')
      await srv.ok(['apply', '--server-side', '-f', '-'], { stdin: deployment('ssa') })
      const r = await srv.kubectl(['apply', '--server-side', '--field-manager=other', '-f', '-'], {
        stdin: deployment('ssa', 'nginx:1.25', 3),
      })
      expect(r.code, `${r.stderr}${r.stdout}`).not.toBe(0)
      expect(r.stderr).toContain('conflict')
      expect(r.stderr).toContain('.spec.replicas')
      await srv.ok(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', '-'], {
        stdin: deployment('ssa', 'nginx:1.25', 3),
      })
      expect(await srv.ok(['-n', 'ssa', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('3')
    })

    test('a CRD is served with its printer columns', async () => {
      const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
  versions:
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - {name: Spec, type: string, jsonPath: .spec.cronSpec}
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              cronSpec: {type: string}
              image: {type: string}
              replicas: {type: integer}
`
      await srv.ok(['apply', '-f', '-'], { stdin: crd })
      await srv.ok(['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=30s'])
      await namespace('crd')
      const cr = `apiVersion: stable.example.com/v1
kind: CronTab
metadata: {name: my-cron, namespace: crd}
spec: {cronSpec: "* * * * */5", image: my-image, replicas: 2}
`
      expect(await srv.ok(['apply', '-f', '-'], { stdin: cr })).toContain('crontab.stable.example.com/my-cron created')
      const out = await srv.ok(['-n', 'crd', 'get', 'ct'])
      expect(out).toMatch(/^NAME\s+SPEC\s+REPLICAS\s+AGE$/m)
      expect(out).toMatch(/^my-cron\s+\* \* \* \* \*\/5\s+2\s+\d+s$/m)
      expect(await srv.ok(['apply', '-f', '-'], { stdin: cr.replace('replicas: 2', 'replicas: 3') })).toContain(
        'configured',
      )
      const bad = await srv.kubectl(['apply', '-f', '-'], { stdin: cr.replace('replicas: 2', 'replicas: two') })
      expect(bad.code, `${bad.stderr}${bad.stdout}`).not.toBe(0)
      await srv.ok(['delete', 'crd', 'crontabs.stable.example.com'])
      const gone = await srv.kubectl(['-n', 'crd', 'get', 'crontabs'])
      expect(gone.code, `${gone.stderr}${gone.stdout}`).not.toBe(0)
    })
  })
}
