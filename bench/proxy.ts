// nft sync time for N services × 2 endpoints: ruleset generation, first apply (`nft -f`), re-apply of the
// same text (forced), and an apply after one endpoint changed. Runs in a scratch network namespace.
// Usage (root): bun bench/proxy.ts [services=1000] [runs=3]
import type { Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import { RulesetApplier } from '../src/agent/proxy/apply.ts'
import { ruleset } from '../src/agent/proxy/ruleset.ts'
import { host } from '../src/cni/exec.ts'

const n = Number(process.argv[2] ?? 1000)
const node = { name: 'node-a', ips: ['192.168.77.11'] }
const opts = { clusterCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16' }

function objects(changed = -1): { services: Service[]; slices: EndpointSlice[] } {
  const services: Service[] = []
  const slices: EndpointSlice[] = []
  for (let i = 0; i < n; i++) {
    const name = `svc-${i}`
    services.push({
      metadata: { namespace: 'bench', name },
      spec: {
        type: i % 10 === 0 ? 'NodePort' : 'ClusterIP',
        clusterIP: `10.43.${(i >> 8) & 255}.${(i & 255) + 0}`,
        ports: [{ name: 'http', port: 80, targetPort: 8080, ...(i % 10 === 0 ? { nodePort: 30000 + i } : {}) }],
      },
    })
    const ep = (k: number) => ({
      addresses: [`10.42.${(i * 2 + k) >> 8}.${(i * 2 + k) & 255}`],
      nodeName: k ? 'node-b' : 'node-a',
      conditions: { ready: !(i === changed && k === 1) },
    })
    slices.push({
      metadata: { namespace: 'bench', name: `${name}-abc`, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [ep(0), ep(1)],
    })
  }
  return { services, slices }
}

const runs = Number(process.argv[3] ?? 3)
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return `min ${s[0].toFixed(1)} ms, median ${s[s.length >> 1].toFixed(1)} ms`
}
const timed = async <T>(into: number[], f: () => T | Promise<T>): Promise<T> => {
  const t0 = performance.now()
  const r = await f()
  into.push(performance.now() - t0)
  return r
}

// Each run: a fresh namespace, the full ruleset generated and applied, a forced re-apply, then one endpoint
// flipping readiness five times (generation and delta apply timed separately). The machine is shared:
// min and median over the runs are printed.
const t = {
  gen: [] as number[],
  first: [] as number[],
  forced: [] as number[],
  gen1: [] as number[],
  delta: [] as number[],
}
let lines = 0
let bytes = 0
for (let r = 0; r < runs; r++) {
  const ns = `kubun-bench-${process.pid}-${r}`
  Bun.spawnSync(['ip', 'netns', 'add', ns])
  try {
    const { services, slices } = objects()
    const text = await timed(t.gen, () => ruleset(services, slices, node, opts))
    lines = text.split('\n').length
    bytes = text.length
    const applier = new RulesetApplier('kubun-proxy', host(`/run/netns/${ns}`))
    await timed(t.first, () => applier.apply(text))
    if ((await applier.apply(text)).applied) throw new Error('unchanged text was applied again')
    await timed(t.forced, () => applier.apply(text, { force: true }))
    for (let k = 0; k < 5; k++) {
      const changed = objects(k % 2 ? -1 : 7)
      const text2 = await timed(t.gen1, () => ruleset(changed.services, changed.slices, node, opts))
      await timed(t.delta, () => applier.apply(text2))
    }
  } finally {
    Bun.spawnSync(['ip', 'netns', 'del', ns])
  }
}
console.log(
  `services: ${n} (× 2 endpoints, every 10th a NodePort); ruleset ${lines} lines, ${(bytes / 1024).toFixed(0)} KiB; ${runs} runs`,
)
console.log(`generate full ruleset:        ${stats(t.gen)}`)
console.log(`first apply (nft -f):         ${stats(t.first)}`)
console.log('unchanged ruleset:            skipped (no nft call)')
console.log(`forced full re-apply:         ${stats(t.forced)}`)
console.log(`one endpoint changed, generate: ${stats(t.gen1)}`)
console.log(`one endpoint changed, delta apply (nft -f): ${stats(t.delta)}`)
