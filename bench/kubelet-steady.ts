// Steady-state cost of the kubelet: runtime lists and API requests per minute with 30 running pods,
// each with a ConfigMap volume, a Secret volume and the ServiceAccount projected volume, over the
// in-memory runtime and client (counts calls, so it runs anywhere).
// Usage: bun bench/kubelet-steady.ts [seconds=30]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Pod } from 'kubernetes-types/core/v1'
import { Kubelet } from '../src/agent/kubelet/kubelet.ts'
import { FakeRuntime } from '../src/agent/runtime/fake.ts'
import { FakeClient } from '../src/server/controllers/lib/fake-client.ts'

const PODS = 30
const seconds = Number(process.argv[2] ?? 30)
const ref = (resource: string) => ({ group: '', version: 'v1', resource, namespace: 'default' })
const dir = mkdtempSync(join(tmpdir(), 'kubun-steady-'))
const client = new FakeClient()
const rt = new FakeRuntime()
rt.images.add('pause')
rt.images.add('img')
const counts: Record<string, number> = {}
const count = <T extends object>(target: T, prefix: string): T =>
  new Proxy(target, {
    get(t, p, r) {
      const v = Reflect.get(t, p, r)
      if (typeof v !== 'function') return v
      return (...args: unknown[]) => {
        const res = (args[0] as { resource?: string })?.resource
        const k = `${prefix}.${String(p)}${res ? ` ${res}` : ''}`
        counts[k] = (counts[k] ?? 0) + 1
        return v.apply(t, args)
      }
    },
  })
await client.create(ref('configmaps'), { metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': 'PEM' } })
let ip = 1
const k = new Kubelet({
  client: count(client, 'api'),
  runtime: count(rt, 'runtime'),
  network: { add: async () => ({ ip: `10.42.0.${++ip}` }), remove: async () => {}, ipOf: () => undefined },
  nodeName: 'n1',
  nodeIPs: ['192.168.1.2'],
  dataDir: dir,
  pauseImage: 'pause',
  clusterDns: { servers: ['10.43.0.10'], domain: 'cluster.local' },
  hostResolv: { nameservers: ['1.1.1.1'], searches: [], options: [] },
  allocatable: { cpu: 2, memory: 2 ** 30 },
  mounter: { isMounted: () => false, mountTmpfs: async () => {}, unmount: async () => {} },
})
try {
  await k.start()
  for (let i = 0; i < PODS; i++) {
    await client.create(ref('configmaps'), { metadata: { name: `cm${i}` }, data: { a: `${i}` } })
    await client.create(ref('secrets'), { metadata: { name: `s${i}` }, data: { p: btoa('pw') } })
    const pod: Pod = {
      metadata: { name: `p${i}`, namespace: 'default' },
      spec: {
        nodeName: 'n1',
        volumes: [
          { name: 'cm', configMap: { name: `cm${i}` } },
          { name: 's', secret: { secretName: `s${i}` } },
        ],
        containers: [{ name: 'app', image: 'img', volumeMounts: [{ name: 'cm', mountPath: '/cm' }] }],
      },
    }
    await client.create(ref('pods'), pod)
  }
  const end = Date.now() + 20_000
  while ([...rt.containers.values()].filter((c) => c.state === 'running').length < 2 * PODS) {
    if (Date.now() > end) throw new Error('pods did not start')
    await Bun.sleep(50)
  }
  await Bun.sleep(12_000) // past the first volume refresh of every pod
  for (const key of Object.keys(counts)) delete counts[key]
  await Bun.sleep(seconds * 1000)
  const perMin = (n = 0) => Math.round((n * 60) / seconds)
  console.log(`${PODS} pods, steady state over ${seconds} s, calls per minute:`)
  for (const [key, n] of Object.entries(counts).sort()) console.log(`  ${key}: ${perMin(n)}`)
} finally {
  k.stop()
  rmSync(dir, { recursive: true, force: true })
}
