// `bun run build` produces single executables that run: x64 natively, arm64 under qemu-user (as on a Raspberry Pi).
import { describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './kubectl-harness.ts'

const root = join(import.meta.dir, '../..')
const qemu = '/usr/bin/qemu-aarch64-static'

describe('single binary', () => {
  test('build compiles linux-x64 and linux-arm64 executables', () => {
    const b = Bun.spawnSync(['bun', 'scripts/build.ts'], { cwd: root, stderr: 'pipe' })
    expect(b.exitCode, b.stderr.toString()).toBe(0)
    const x64 = Bun.spawnSync([join(root, 'dist/kubun'), '--version'])
    expect(x64.stdout.toString()).toMatch(/^kubun version v\S+ \(bun \S+, linux\/x64\)/)
  }, 180_000)

  // The bundler orders modules differently from `bun src/main.ts` (reflect-metadata once loaded after
  // tsyringe and every server start of the binary failed): start a real server from it.
  test('the x64 executable starts a server that answers /readyz', async () => {
    if (!existsSync(join(root, 'dist/kubun')))
      Bun.spawnSync(['bun', 'scripts/build.ts', '--target', 'x64'], { cwd: root })
    const dir = mkdtempSync(join(tmpdir(), 'kubun-build-'))
    const port = await freePort()
    const args = ['--data-dir', join(dir, 'data'), '--https-listen-port', String(port), '--bind-address', '127.0.0.1']
    const child = Bun.spawn(
      [join(root, 'dist/kubun'), 'server', ...args, '--write-kubeconfig', join(dir, 'kc'), '--disable-agent'],
      {
        stdout: 'ignore',
        stderr: 'pipe',
        env: { ...process.env, KUBUN_LOG_LEVEL: 'warn' },
      },
    )
    try {
      let status = 0
      for (let i = 0; i < 300 && status !== 200 && child.exitCode === null; i++) {
        status = await fetch(`https://127.0.0.1:${port}/readyz`, { tls: { rejectUnauthorized: false } } as RequestInit)
          .then((r) => r.status)
          .catch(() => 0)
        if (status !== 200) await Bun.sleep(100)
      }
      const err = child.exitCode === null ? '' : await new Response(child.stderr).text()
      expect(status, `the server did not answer /readyz: ${err}`).toBe(200)
    } finally {
      child.kill('SIGKILL')
      await child.exited
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)

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
