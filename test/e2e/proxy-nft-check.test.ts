// Every golden ruleset must load in the kernel's nftables (nft -c: check only, inside a throwaway netns).
import { describe, expect, setDefaultTimeout, test } from 'bun:test'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

// Real processes on a shared machine: generous per-test time (bun's default is 5 s).
setDefaultTimeout(60_000)

const dir = join(import.meta.dir, '../fixtures/nft')
const canRun = process.getuid?.() === 0 && !!Bun.which('nft') && !!Bun.which('unshare')
if (!canRun) console.warn('SKIPPED proxy-nft-check: needs root, nft and unshare (CI has them)')

describe.skipIf(!canRun)('golden rulesets pass `nft -c -f`', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.nft'))
  test('there are golden files', () => expect(files.length).toBeGreaterThanOrEqual(12))
  test.each(files)('%s', async (f) => {
    const p = Bun.spawn(['unshare', '--net', 'nft', '-c', '-f', join(dir, f)], { stderr: 'pipe' })
    const err = await new Response(p.stderr).text()
    expect({ code: await p.exited, err }).toEqual({ code: 0, err: '' })
  })
})
