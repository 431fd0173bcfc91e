// `bun client-node-scenario.mjs <kubeconfig>` (see client-node.test.ts for why a child process).
// Prints one JSON line per step; exits non-zero on failure.
import * as k8s from '@kubernetes/client-node'

const kc = new k8s.KubeConfig()
kc.loadFromFile(process.argv[2])
const core = kc.makeApiClient(k8s.CoreV1Api)
const apps = kc.makeApiClient(k8s.AppsV1Api)
const out = (step, value) => process.stdout.write(`${JSON.stringify({ step, value })}\n`)
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch)
const strategic = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch)

await core.createNamespace({ body: { metadata: { name: 'cn' } } })
out(
  'namespaces',
  (await core.listNamespace()).items.map((n) => n.metadata.name),
)
await core.createNamespacedConfigMap({ namespace: 'cn', body: { metadata: { name: 'c1' }, data: { a: '1' } } })
const cms = await core.listNamespacedConfigMap({ namespace: 'cn' })
out(
  'configmaps',
  cms.items.map((c) => c.metadata.name),
)
out(
  'notFound',
  await core.readNamespacedConfigMap({ namespace: 'cn', name: 'nope' }).then(
    () => 200,
    (e) => e.code,
  ),
)

await apps.createNamespacedDeployment({
  namespace: 'cn',
  body: {
    metadata: { name: 'web' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  },
})
await apps.patchNamespacedDeployment({ namespace: 'cn', name: 'web', body: { spec: { replicas: 3 } } }, merge)
await apps.patchNamespacedDeployment(
  {
    namespace: 'cn',
    name: 'web',
    body: { spec: { template: { spec: { containers: [{ name: 'side', image: 'busybox' }] } } } },
  },
  strategic,
)
const d = await apps.readNamespacedDeployment({ namespace: 'cn', name: 'web' })
out('deployment', { replicas: d.spec.replicas, containers: d.spec.template.spec.containers.map((c) => c.name).sort() })

const events = []
let seen
const allSeen = new Promise((r) => (seen = r))
const req = await new k8s.Watch(kc).watch(
  '/api/v1/namespaces/cn/configmaps',
  { resourceVersion: cms.metadata.resourceVersion },
  (type, obj) => {
    events.push(`${type} ${obj.metadata.name}`)
    if (type === 'DELETED') seen()
  },
  () => {},
)
await core.createNamespacedConfigMap({ namespace: 'cn', body: { metadata: { name: 'w' } } })
await core.patchNamespacedConfigMap({ namespace: 'cn', name: 'w', body: { data: { x: 'y' } } }, merge)
await core.deleteNamespacedConfigMap({ namespace: 'cn', name: 'w' })
await Promise.race([allSeen, new Promise((r) => setTimeout(r, 10000))])
req.abort()
out('watch', events)
process.exit(0)
