// One agent per host: agents share cni0, the nft tables, the host routes and port 10250, so a second
// agent (another data dir, a test, a stale `kubun server`) would silently fight the first. A pid file
// under /run/kubun stops it with a clear message; a pid file whose process is gone is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export const AGENT_LOCK = '/run/kubun/agent.pid'

export class HostLockedError extends Error {
  override name = 'HostLockedError'
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Takes the host's agent lock; returns its release function. */
export function lockHost(path = AGENT_LOCK, pid = process.pid): () => void {
  let holder = 0
  try {
    holder = Number(readFileSync(path, 'utf8').trim())
  } catch {}
  if (holder && holder !== pid && alive(holder))
    throw new HostLockedError(
      `another kubun agent (pid ${holder}) already runs on this host; one agent per host (they share cni0, nftables and port 10250): stop it first`,
    )
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${pid}\n`)
  return () => {
    try {
      if (Number(readFileSync(path, 'utf8').trim()) === pid) rmSync(path, { force: true })
    } catch {}
  }
}

/**
 * For `kubun killall` (k3s-killall.sh stops k3s first): SIGTERM the process holding the agent lock,
 * SIGKILL it after graceMs, so it cannot rebuild the bridge and tables killall removes. Only a
 * process whose command line names kubun is signalled (a stale pid may have been reused).
 * Returns the pid stopped, or undefined when no agent ran.
 */
export async function stopLockHolder(path = AGENT_LOCK, graceMs = 15_000): Promise<number | undefined> {
  let holder = 0
  try {
    holder = Number(readFileSync(path, 'utf8').trim())
  } catch {}
  if (!holder || holder === process.pid || !alive(holder)) return undefined
  let cmdline = ''
  try {
    cmdline = readFileSync(`/proc/${holder}/cmdline`, 'utf8').replaceAll('\0', ' ')
  } catch {}
  if (!/kubun|main\.ts/.test(cmdline)) return undefined
  process.kill(holder, 'SIGTERM')
  const end = Date.now() + graceMs
  while (alive(holder) && Date.now() < end) await Bun.sleep(100)
  if (alive(holder)) process.kill(holder, 'SIGKILL')
  while (alive(holder)) await Bun.sleep(50)
  return holder
}
