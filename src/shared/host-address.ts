// This host's own address: what the agent registers as its node IP and what the server advertises for
// the `kubernetes` Service (k3s defaults --advertise-address to --node-ip, else the default route's
// source address). Shared by server and agent so both name the same address.
import { networkInterfaces } from 'node:os'

/** The IPv4 source address of the default route (what `ip route get` picks), or undefined. */
export function defaultRouteAddress(): string | undefined {
  try {
    const r = Bun.spawnSync(['ip', '-4', 'route', 'get', '1.1.1.1'], { stderr: 'ignore' })
    return / src (\d+\.\d+\.\d+\.\d+)/.exec(r.stdout.toString())?.[1]
  } catch {
    return undefined // no `ip` binary
  }
}

/** The first non-internal IPv4 of any interface, for hosts without `ip` or without a default route. */
export function firstHostIpv4(): string | undefined {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address
  return undefined
}

const LOOPBACK = /^(127\.|::1$|localhost$)/

export interface AdvertiseInputs {
  advertiseAddress?: string
  nodeIp?: string
  bindAddress?: string
}

/**
 * The API server's advertise address: --advertise-address, else --node-ip, else the host's primary
 * IPv4; loopback only when the server listens on loopback alone (pods could not reach it elsewhere) or
 * the host has no other address. `host` is injectable for tests.
 */
export function resolveAdvertiseAddress(
  o: AdvertiseInputs,
  host: () => string | undefined = () => defaultRouteAddress() ?? firstHostIpv4(),
): string {
  if (o.advertiseAddress) return o.advertiseAddress
  if (o.bindAddress && LOOPBACK.test(o.bindAddress)) return o.bindAddress === '::1' ? '::1' : '127.0.0.1'
  const wildcard = !o.bindAddress || o.bindAddress === '0.0.0.0' || o.bindAddress === '::'
  if (!wildcard) return o.bindAddress as string // a specific address: the only one it serves on
  return o.nodeIp || host() || '127.0.0.1'
}
