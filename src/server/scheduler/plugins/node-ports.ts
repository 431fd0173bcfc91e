// NodePorts: a hostPort is taken when another pod on the node uses the same protocol and port on the
// same host IP, or either side binds 0.0.0.0.
import { hostPorts } from '../node-info.ts'
import type { Plugin } from '../types.ts'

export function portsConflict(wanted: string[], used: Set<string>): boolean {
  for (const w of wanted) {
    const [proto, ip, port] = w.split('/')
    for (const u of used) {
      const [uproto, uip, uport] = u.split('/')
      if (uproto === proto && uport === port && (ip === uip || ip === '0.0.0.0' || uip === '0.0.0.0')) return true
    }
  }
  return false
}

export const nodePorts: Plugin<string[]> = {
  name: 'NodePorts',
  prepare(pod) {
    const p = hostPorts(pod)
    return p.length ? p : undefined
  },
  filter(_pod, info, wanted) {
    if (!portsConflict(wanted, info.usedPorts)) return undefined
    return { reasons: ["node(s) didn't have free ports for the requested pod ports"], resolvable: true }
  },
}
