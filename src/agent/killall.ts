// `kubun killall`, as k3s-killall.sh: stop and remove every container the kubelet made (sandboxes
// last), unmount the pods' tmpfs volumes, then remove the pod network (bridge, veths, nft tables,
// routes, IPAM state). Server data and images stay. Prints one line per thing removed.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanupNetwork } from './cleanup.ts'
import { isSandbox, NODE_LABEL } from './runtime/labels.ts'
import type { Runtime } from './runtime/runtime.ts'

export async function killall(o: {
  dataDir: string
  runtime?: Runtime
  netns?: string
  /** only this node's containers (tests sharing one Docker); default every kubelet container */
  nodeName?: string
}): Promise<string[]> {
  const done: string[] = []
  if (o.runtime) {
    const all = (await o.runtime.list()).filter((c) => !o.nodeName || c.labels[NODE_LABEL] === o.nodeName)
    const apps = all.filter((c) => !isSandbox(c))
    await Promise.all(apps.map((c) => o.runtime?.stop(c.id, 5)))
    // Sandboxes last: the app containers share their network namespace.
    for (const c of [...apps, ...all.filter(isSandbox)]) {
      await o.runtime.remove(c.id)
      done.push(`removed container ${c.name}`)
    }
  }
  const pods = join(o.dataDir, 'agent', 'pods')
  if (existsSync('/proc/mounts')) {
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[1])
      .filter((p) => p?.startsWith(`${pods}/`))
      .sort()
      .reverse()
    for (const m of mounts) {
      Bun.spawnSync(['umount', '-l', m])
      done.push(`unmounted ${m}`)
    }
  }
  done.push(...(await cleanupNetwork({ dataDir: o.dataDir, netns: o.netns })))
  return done
}
