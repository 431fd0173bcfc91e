import { expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HostLockedError, lockHost } from './host-lock.ts'

test('a live holder blocks a second agent; a dead holder is taken over; release removes the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubun-lock-'))
  const path = join(dir, 'run', 'agent.pid')
  const other = Bun.spawn(['sleep', '30'])
  try {
    writeFileSync(join(dir, 'x'), '')
    const release = lockHost(path)
    expect(() => lockHost(path, other.pid)).toThrow(HostLockedError)
    release()
    expect(existsSync(path)).toBe(false)
    writeFileSync(path, `${other.pid}\n`)
    expect(() => lockHost(path)).toThrow(`another kubun agent (pid ${other.pid})`)
    other.kill()
    await other.exited
    const again = lockHost(path)
    again()
  } finally {
    other.kill()
    rmSync(dir, { recursive: true, force: true })
  }
})
