// `bun run build` produces single executables that run: x64 natively, arm64 under qemu-user (as on a Raspberry Pi).
import { describe, expect, test } from 'bun:test'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dir, '../..')
const qemu = '/usr/bin/qemu-aarch64-static'

describe('single binary', () => {
  test('build compiles linux-x64 and linux-arm64 executables', () => {
    const b = Bun.spawnSync(['bun', 'scripts/build.ts'], { cwd: root, stderr: 'pipe' })
    expect(b.exitCode, b.stderr.toString()).toBe(0)
    const x64 = Bun.spawnSync([join(root, 'dist/kubun'), '--version'])
    expect(x64.stdout.toString()).toMatch(/^kubun version v\S+ \(bun \S+, linux\/x64\)/)
  }, 180_000)

  // Skipped (and counted as skipped) only outside CI; CI installs qemu-user-static, so a missing one fails there.
  test.skipIf(!existsSync(qemu) && !process.env.CI)(
    'the arm64 executable runs under qemu',
    () => {
      expect(existsSync(qemu), `${qemu} missing: bash scripts/setup.sh --tests installs qemu-user-static`).toBe(true)
      const r = Bun.spawnSync([qemu, '-L', '/usr/aarch64-linux-gnu', join(root, 'dist/kubun-arm64'), '--version'])
      expect(r.stdout.toString()).toMatch(/linux\/arm64\)/)
    },
    60_000,
  )
})
