// nft sync time for N services × 2 endpoints: ruleset generation, first apply (`nft -f`), re-apply of the
// same text (forced), and an apply after one endpoint changed. Runs in a scratch network namespace.
// Usage (root): bun bench/proxy.ts [services=1000]
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

const ms = (t0: number) => `${(performance.now() - t0).toFixed(1)} ms`
const ns = `kubun-bench-${process.pid}`
Bun.spawnSync(['ip', 'netns', 'add', ns])
try {
  const { services, slices } = objects()
  let t0 = performance.now()
  const text = ruleset(services, slices, node, opts)
  const gen = ms(t0)
  const lines = text.split('\n').length
  const applier = new RulesetApplier('kubun-proxy', host(`/run/netns/${ns}`))
  t0 = performance.now()
  await applier.apply(text)
  const first = ms(t0)
  t0 = performance.now()
  const skipped = await applier.apply(text)
  const skip = ms(t0)
  t0 = performance.now()
  await applier.apply(text, { force: true })
  const again = ms(t0)
  // One endpoint flips readiness, five times: generation and delta apply timed separately (median).
  const genTimes: number[] = []
  const applyTimes: number[] = []
  for (let k = 0; k < 5; k++) {
    const changed = objects(k % 2 ? -1 : 7)
    t0 = performance.now()
    const text2 = ruleset(changed.services, changed.slices, node, opts)
    genTimes.push(performance.now() - t0)
    t0 = performance.now()
    await applier.apply(text2)
    applyTimes.push(performance.now() - t0)
  }
  const median = (xs: number[]) => `${[...xs].sort((a, b) => a - b)[xs.length >> 1].toFixed(1)} ms`
  console.log(
    `services: ${n} (× 2 endpoints, every 10th a NodePort); ruleset ${lines} lines, ${(text.length / 1024).toFixed(0)} KiB`,
  )
  console.log(`generate:              ${gen}`)
  console.log(`first apply (nft -f):  ${first}`)
  console.log(`unchanged (skipped):   ${skip} (applied=${skipped.applied})`)
  console.log(`forced re-apply:       ${again}`)
  console.log(`one endpoint changed:  generate ${median(genTimes)}, delta apply ${median(applyTimes)} (median of 5)`)
} finally {
  Bun.spawnSync(['ip', 'netns', 'del', ns])
}
