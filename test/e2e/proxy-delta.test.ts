// A delta apply must leave exactly what a full apply leaves: walk through every golden scenario with
// deltas in one namespace and compare each step with a fresh full apply in another.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { RulesetApplier } from '../../src/agent/proxy/apply.ts'
import { ruleset } from '../../src/agent/proxy/ruleset.ts'
import { node, opts, scenarios } from '../../src/agent/proxy/ruleset-scenarios.ts'
import { host } from '../../src/cni/exec.ts'
import { Cleanup, canRunNetworkE2E, netns, rand, run } from './network-harness.ts'

// Real processes on a shared machine: generous per-test time (bun's default is 5 s).
setDefaultTimeout(60_000)

const enabled = canRunNetworkE2E('proxy delta e2e')
const table = 'kubun-proxy'

/** `nft -j list table` without handles, rules grouped per chain in order, set elements sorted. */
async function state(ns: string) {
  const r = await run(['nsenter', `--net=${ns}`, '--', 'nft', '-j', 'list', 'table', 'ip', table])
  const strip = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(strip)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([k]) => k !== 'handle')
              .map(([k, x]) => [k, strip(x)]),
          )
        : v
  const out: Record<string, unknown> = {}
  for (const item of JSON.parse(r.stdout).nftables as Record<string, any>[]) {
    const [kind, body] = Object.entries(strip(item) as Record<string, any>)[0]
    if (kind === 'rule') ((out[`rules ${body.chain}`] ??= []) as unknown[]).push(body.expr)
    else if (kind === 'set' || kind === 'map')
      out[`${kind} ${body.name}`] = { ...body, elem: (body.elem ?? []).map((e: unknown) => JSON.stringify(e)).sort() }
    else if (kind !== 'metainfo') out[`${kind} ${body.name}`] = body
  }
  return out
}

describe.skipIf(!enabled)('delta apply equals full apply', () => {
  const cleanup = new Cleanup()
  let deltaNs: string
  let fullNs: string
  beforeAll(async () => {
    const id = rand()
    deltaNs = await netns(`kbt-delta-${id}`, cleanup)
    fullNs = await netns(`kbt-full-${id}`, cleanup)
  })
  afterAll(() => cleanup.run())

  test('through every scenario and back', async () => {
    const texts = scenarios.map((s) => ruleset(s.services, s.slices, node, { ...opts, ...s.opts }))
    // masquerade-all uses another table name; it has its own golden check
    const order = texts.filter((t) => t.startsWith(`add table ip ${table}\n`))
    const walk = [...order, ...order.slice(0, -1).reverse()]
    const incremental = new RulesetApplier(table, host(deltaNs))
    for (const [i, t] of walk.entries()) {
      const r = await incremental.apply(t)
      expect(r.replaced).toBe(false)
      const fresh = new RulesetApplier(table, host(fullNs))
      await fresh.deleteTable()
      await fresh.apply(t)
      expect({ step: i, ...(await state(deltaNs)) }).toEqual({ step: i, ...(await state(fullNs)) })
    }
  })
})
