// Coexistence with Docker's FORWARD drop: the accept rules go into the host's DOCKER-USER chain once, and
// come out again. Uses a bridge name that does not exist, so the host's traffic is never affected.
import { afterAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { host } from '../../src/cni/exec.ts'
import { ensureDockerUserAccept, removeDockerUserAccept } from '../../src/cni/firewall.ts'
import { canRunNetworkE2E, rand, run } from './network-harness.ts'

// Real processes on a shared machine: generous per-test time (bun's default is 5 s).
setDefaultTimeout(60_000)

const hasChain =
  canRunNetworkE2E('DOCKER-USER e2e') &&
  !!Bun.which('iptables') &&
  Bun.spawnSync(['iptables', '-w', '-n', '-L', 'DOCKER-USER'], { stdout: 'ignore', stderr: 'ignore' }).success
if (!hasChain) console.warn('SKIPPED DOCKER-USER e2e: dockerd runs without its iptables chains here')

describe.skipIf(!hasChain)("accept rules in Docker's DOCKER-USER chain", () => {
  const bridge = `kbt-${rand()}`
  const h = host()
  const ours = async () =>
    (await run(['iptables', '-w', '-S', 'DOCKER-USER'])).stdout.split('\n').filter((l) => l.includes(bridge))
  afterAll(() => removeDockerUserAccept(h, bridge))

  test('inserted once for both directions, ahead of the RETURN, idempotent', async () => {
    expect(await ensureDockerUserAccept(h, bridge)).toBe(true)
    expect(await ensureDockerUserAccept(h, bridge)).toBe(true)
    expect((await ours()).sort()).toEqual([
      `-A DOCKER-USER -i ${bridge} -j ACCEPT`,
      `-A DOCKER-USER -o ${bridge} -j ACCEPT`,
    ])
    const rules = (await run(['iptables', '-w', '-S', 'DOCKER-USER'])).stdout.split('\n')
    const ret = rules.indexOf('-A DOCKER-USER -j RETURN')
    if (ret >= 0) expect(rules.findIndex((l) => l.includes(bridge))).toBeLessThan(ret)
  })

  test('removed again', async () => {
    await removeDockerUserAccept(h, bridge)
    expect(await ours()).toEqual([])
  })
})
