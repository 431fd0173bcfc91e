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
