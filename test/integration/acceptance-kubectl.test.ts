// Acceptance-style regressions: what a demanding user ran with the real kubectl against
// `kubun server --disable-agent` and found different from upstream. One server for the file.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { KUBECTL_132, KUBECTL_133, startTestServer, type TestServer } from './kubectl-harness.ts'

setDefaultTimeout(60_000)
let srv: TestServer
beforeAll(async () => {
  srv = await startTestServer()
  await srv.ok(['create', 'namespace', 'acc'])
}, 90_000)
afterAll(async () => {
  await srv?.stop()
})

const deployment = (extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: acc}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
${extra}`

describe('acceptance regressions', () => {
  test('unknown fields: 400 strict decoding error on create, 422 on the patch of an existing object', async () => {
    const created = await srv.kubectl(['apply', '-f', '-'], { stdin: deployment('  foo: 1') })
    expect(created.code).not.toBe(0)
    expect(created.stderr).toContain(
      'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"',
    )
    await srv.ok(['apply', '-f', '-'], { stdin: deployment() })
    const patched = await srv.kubectl(['apply', '-f', '-'], { stdin: deployment('  foo: 1') })
    expect(patched.code).not.toBe(0)
    expect(patched.stderr).toContain('The request is invalid: patch: Invalid value: "map[')
    expect(patched.stderr).toContain('strict decoding error: unknown field "spec.foo"')
  })

  test('explain shows apiVersion and kind as described strings, without enum', async () => {
    const out = await srv.ok(['explain', 'pods', '--recursive'])
    expect(out).toMatch(/apiVersion\s+<string>\n\s+kind\s+<string>\n/)
    expect(out).not.toContain('enum: v1')
  })

  test('quota and role tables have the upstream columns', async () => {
    await srv.ok(['-n', 'acc', 'create', 'quota', 'q', '--hard=pods=10,limits.cpu=2'])
    await srv.ok(['-n', 'acc', 'create', 'role', 'r', '--verb=get', '--resource=pods'])
    await srv.ok(['-n', 'acc', 'wait', '--for=jsonpath={.status.hard.pods}=10', 'quota/q', '--timeout=30s'])
    const quota = await srv.ok(['-n', 'acc', 'get', 'quota', 'q'])
    expect(quota.split('\n')[0]).toMatch(/^NAME\s+AGE\s+REQUEST\s+LIMIT$/)
    // an unset used count prints as 0 (upstream)
    expect(quota).toMatch(/pods: \d+\/10\s+limits\.cpu: \d+\/2/)
    const role = await srv.ok(['-n', 'acc', 'get', 'role', 'r'])
    expect(role.split('\n')[0]).toMatch(/^NAME\s+CREATED AT$/)
    await srv.ok(['-n', 'acc', 'delete', 'quota', 'q'])
  })

  test('kubectl debug adds an ephemeral container (1.32 and 1.33)', async () => {
    await srv.ok(['-n', 'acc', 'run', 'dbg', '--image=nginx'])
    for (const bin of [KUBECTL_132, KUBECTL_133])
      await srv.ok(['-n', 'acc', 'debug', 'dbg', '--image=busybox', '--profile=general'], { bin })
    const names = await srv.ok([
      '-n',
      'acc',
      'get',
      'pod',
      'dbg',
      '-o',
      'jsonpath={.spec.ephemeralContainers[*].image}',
    ])
    expect(names).toBe('busybox busybox')
  })

  test('a StatefulSet mounting its volumeClaimTemplate is accepted', async () => {
    const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: acc}
spec:
  serviceName: db
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: pg, image: postgres, volumeMounts: [{name: data, mountPath: /data}]}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`
    expect(await srv.ok(['apply', '-f', '-'], { stdin: sts })).toContain('statefulset.apps/db created')
  })

  test('kubectl get cs lists the control plane, deprecated as upstream', async () => {
    const r = await srv.kubectl(['get', 'cs'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain('Warning: v1 ComponentStatus is deprecated in v1.19+')
    expect(r.stdout).toMatch(/^NAME\s+STATUS\s+MESSAGE\s+ERROR\n/)
    expect(r.stdout).toMatch(/etcd-0\s+Healthy/)
  })

  test('a namespace admin cannot grant what they do not hold (RBAC escalation prevention)', async () => {
    await srv.ok(['-n', 'acc', 'create', 'rolebinding', 'ns-admin', '--clusterrole=admin', '--user=ad'])
    const esc = await srv.kubectl([
      '-n',
      'acc',
      'create',
      'rolebinding',
      'esc',
      '--clusterrole=cluster-admin',
      '--user=ad',
      '--as=ad',
    ])
    expect(esc.code).not.toBe(0)
    expect(esc.stderr).toContain(
      'rolebindings.rbac.authorization.k8s.io "esc" is forbidden: user "ad" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:["*"], Resources:["*"], Verbs:["*"]}',
    )
    const role = await srv.kubectl(['-n', 'acc', 'create', 'role', 'esc', '--verb=*', '--resource=nodes', '--as=ad'])
    expect(role.stderr).toContain('{APIGroups:[""], Resources:["nodes"], Verbs:["*"]}')
    await srv.ok(['-n', 'acc', 'create', 'rolebinding', 'viewers', '--clusterrole=view', '--user=x', '--as=ad'])
  })

  test('apply switches a Service between types; the node port is freed', async () => {
    const svc = (type: string, extra = '') => `apiVersion: v1
kind: Service
metadata: {name: flip, namespace: acc}
spec:
  type: ${type}
  selector: {app: flip}
  ports: [{port: 80, targetPort: 8080${type === 'NodePort' ? ', nodePort: 30777' : ''}}]
${extra}`
    await srv.ok(['apply', '-f', '-'], { stdin: svc('NodePort') })
    for (const [type, extra] of [
      ['ClusterIP', ''],
      ['LoadBalancer', ''],
      ['ExternalName', '  externalName: example.com\n'],
      ['ClusterIP', ''],
    ])
      await srv.ok(['apply', '-f', '-'], { stdin: svc(type!, extra) })
    expect(await srv.ok(['-n', 'acc', 'get', 'svc', 'flip', '-o', 'jsonpath={.spec.type}'])).toBe('ClusterIP')
    await srv.ok(['-n', 'acc', 'create', 'service', 'nodeport', 'reuse', '--tcp=80', '--node-port=30777'])
  })

  test('a Deployment keeps generation 1 until its spec changes (labels and the revision annotation do not count)', async () => {
    await srv.ok(['-n', 'acc', 'create', 'deployment', 'gen', '--image=nginx'])
    await srv.ok([
      '-n',
      'acc',
      'wait',
      '--for=jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}=1',
      'deploy/gen',
      '--timeout=30s',
    ])
    await srv.ok(['-n', 'acc', 'label', 'deploy', 'gen', 'team=a'])
    expect(await srv.ok(['-n', 'acc', 'get', 'deploy', 'gen', '-o', 'jsonpath={.metadata.generation}'])).toBe('1')
    await srv.ok(['-n', 'acc', 'set', 'image', 'deploy/gen', 'nginx=nginx:2'])
    expect(await srv.ok(['-n', 'acc', 'get', 'deploy', 'gen', '-o', 'jsonpath={.metadata.generation}'])).toBe('2')
  })

  test("a wrong-typed value in a built-in kind is the Go decoder's 400", async () => {
    const bad = deployment('').replace(
      '{name: c, image: nginx}',
      '{name: c, image: nginx, env: [{name: P, value: 8080}]}',
    )
    expect(bad).toContain('value: 8080')
    const r = await srv.kubectl(['create', '-f', '-'], { stdin: bad.replace('name: web', 'name: typed') })
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain(
      'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string',
    )
  })

  test('a write without fieldManager is recorded under the User-Agent product name (upstream managerOrUserAgent)', async () => {
    const cm = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ua' }, data: { a: '1' } })
    await srv.ok(['create', '--raw', '/api/v1/namespaces/acc/configmaps', '-f', '-'], { stdin: cm })
    const managers = await srv.ok([
      '-n',
      'acc',
      'get',
      'cm',
      'ua',
      '--show-managed-fields',
      '-o',
      'jsonpath={.metadata.managedFields[*].manager}/{.metadata.managedFields[*].operation}',
    ])
    // kubectl's User-Agent starts with its binary's name (here kubectl.1.33/v1.33.1 ...)
    expect(managers).toMatch(/^kubectl(\.1\.\d+)?\/Update$/)
  })

  test('create token --bound-object-kind Pod: 404 for a missing pod, else a token bound to it', async () => {
    await srv.ok(['-n', 'acc', 'create', 'sa', 'bound'])
    const missing = await srv.kubectl([
      '-n',
      'acc',
      'create',
      'token',
      'bound',
      '--bound-object-kind=Pod',
      '--bound-object-name=x',
    ])
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toContain('pods "x" not found')
    await srv.ok(['-n', 'acc', 'run', 'holder', '--image=nginx'])
    const token = await srv.ok([
      '-n',
      'acc',
      'create',
      'token',
      'bound',
      '--bound-object-kind=Pod',
      '--bound-object-name=holder',
    ])
    const claims = JSON.parse(Buffer.from(token.trim().split('.')[1]!, 'base64url').toString())
    const uid = await srv.ok(['-n', 'acc', 'get', 'pod', 'holder', '-o', 'jsonpath={.metadata.uid}'])
    expect(claims['kubernetes.io'].pod).toEqual({ name: 'holder', uid })
    const review = JSON.stringify({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token: token.trim() },
    })
    const whoIs = () => srv.ok(['create', '-f', '-', '-o', 'jsonpath={.status.user.username}'], { stdin: review })
    expect(await whoIs()).toBe('system:serviceaccount:acc:bound')
    // the token dies with its pod, as upstream
    await srv.ok(['-n', 'acc', 'delete', 'pod', 'holder', '--grace-period=0', '--force'])
    expect(await whoIs()).toBe('')
  })

  test('explain --output=plaintext-openapiv2 reads the protobuf v2 definitions', async () => {
    const out = await srv.ok(['explain', '--output=plaintext-openapiv2', 'deployment.spec'], { bin: KUBECTL_132 })
    expect(out).toContain('RESOURCE: spec <Object>')
    expect(out).toMatch(/replicas\s+<integer>/)
  })

  test('get --raw /metrics: Prometheus text for system:masters and system:monitoring, 403 for others', async () => {
    await srv.ok(['-n', 'acc', 'get', 'configmaps'])
    const text = await srv.ok(['get', '--raw', '/metrics'])
    expect(text).toMatch(
      /^apiserver_request_total\{code="200",[^}]*resource="configmaps",[^}]*verb="LIST"[^}]*\} \d+$/m,
    )
    expect(text).toMatch(
      /^apiserver_request_duration_seconds_bucket\{[^}]*resource="configmaps"[^}]*le="\+Inf"\} \d+$/m,
    )
    expect(text).toMatch(/^apiserver_storage_objects\{resource="namespaces"\} \d+$/m)
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m)
    await srv.ok(['get', '--raw', '/metrics', '--as', 'prom', '--as-group', 'system:monitoring'])
    const denied = await srv.kubectl(['get', '--raw', '/metrics', '--as', 'bob'])
    expect(denied.stderr).toContain('User "bob" cannot get path "/metrics"')
  })

  test('issuer discovery: a ServiceAccount token verifies against /openid/v1/jwks, iss matches the configuration', async () => {
    await srv.ok(['-n', 'acc', 'create', 'sa', 'oidc'])
    const token = (await srv.ok(['-n', 'acc', 'create', 'token', 'oidc'])).trim()
    const asSa = ['--as', 'system:serviceaccount:acc:oidc', '--as-group', 'system:serviceaccounts']
    const config = JSON.parse(await srv.ok(['get', '--raw', '/.well-known/openid-configuration', ...asSa]))
    const jwks = JSON.parse(await srv.ok(['get', '--raw', '/openid/v1/jwks', ...asSa]))
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: config.issuer })
    expect(payload.sub).toBe('system:serviceaccount:acc:oidc')
    expect(config.jwks_uri).toMatch(/^https:\/\/.+\/openid\/v1\/jwks$/)
  })
})
