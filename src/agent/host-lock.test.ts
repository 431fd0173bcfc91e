import { expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HostLockedError, lockHost, stopLockHolder } from './host-lock.ts'

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

test('killall stops the agent holding the lock, never an unrelated process with a reused pid', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubun-lock-'))
  const path = join(dir, 'agent.pid')
  // `sh -c CMD NAME`: NAME is $0, so the command line names kubun like a real agent's does.
  const agent = Bun.spawn(['sh', '-c', 'trap "" TERM; echo ready; sleep 30', 'kubun-agent'], { stdout: 'pipe' })
  const other = Bun.spawn(['sleep', '30'])
  try {
    await (agent.stdout as ReadableStream<Uint8Array>).getReader().read() // the trap is set
    writeFileSync(path, `${other.pid}\n`)
    expect(await stopLockHolder(path, 500)).toBeUndefined()
    expect(other.exitCode).toBeNull()
    writeFileSync(path, `${agent.pid}\n`)
    // It ignores SIGTERM, so the grace period runs out and SIGKILL follows.
    expect(await stopLockHolder(path, 500)).toBe(agent.pid)
    expect(await agent.exited).not.toBe(0)
    expect(await stopLockHolder(join(dir, 'missing.pid'))).toBeUndefined()
  } finally {
    agent.kill('SIGKILL')
    other.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
})
