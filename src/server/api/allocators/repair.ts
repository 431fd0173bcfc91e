// Start-up repair of service allocations, as upstream's ClusterIP and NodePort repair controllers:
// an allocation whose Service is gone (deleted behind the API's back, e.g. with etcdctl) is released, and
// a Service holding an IP or port without its allocation key gets the key back. Compare-and-swap on
// every key, so a Service written concurrently is never robbed.
import type { Backend, KeyValue } from '../../../datastore/backend.ts'
import { prefixEnd } from '../../../datastore/ops.ts'
import { logger } from '../../../shared/log.ts'
import { claim, IP_PREFIX, ipAddressObject, ipKey, NODE_PORT_PREFIX, nodePortKey } from './allocation-store.ts'

const log = logger('allocators')

export interface HeldAllocations {
  ips: Map<string, { namespace: string; name: string }>
  ports: Map<number, { namespace: string; name: string }>
}

/** What the stored Services hold (pure: services as stored objects). */
export function heldBy(services: { metadata?: any; spec?: any }[]): HeldAllocations {
  const held: HeldAllocations = { ips: new Map(), ports: new Map() }
  for (const s of services) {
    const owner = { namespace: s.metadata?.namespace ?? '', name: s.metadata?.name ?? '' }
    for (const ip of s.spec?.clusterIPs ?? (s.spec?.clusterIP ? [s.spec.clusterIP] : []))
      if (ip && ip !== 'None') held.ips.set(ip, owner)
    for (const p of s.spec?.ports ?? []) if (p.nodePort) held.ports.set(p.nodePort, owner)
    if (s.spec?.healthCheckNodePort) held.ports.set(s.spec.healthCheckNodePort, owner)
  }
  return held
}

async function rangeAll(backend: Backend, prefix: string): Promise<KeyValue[]> {
  return (await backend.range({ key: prefix, rangeEnd: prefixEnd(prefix) })).kvs
}

export async function repairAllocations(
  backend: Backend,
  servicePrefix: string,
): Promise<{ released: number; restored: number }> {
  const services = (await rangeAll(backend, servicePrefix)).map((kv) => JSON.parse(new TextDecoder().decode(kv.value)))
  const held = heldBy(services)
  let released = 0
  let restored = 0
  const tryTxn = async (req: Parameters<Backend['txn']>[0]) => (await backend.txn(req)).succeeded
  const sweep = async (prefix: string, isHeld: (suffix: string) => boolean) => {
    const present = new Set<string>()
    for (const kv of await rangeAll(backend, prefix)) {
      const suffix = kv.key.slice(prefix.length)
      present.add(suffix)
      if (isHeld(suffix)) continue
      const ok = await tryTxn({
        compare: [{ key: kv.key, target: 'mod', result: 'equal', value: kv.modRevision }],
        success: [{ type: 'delete', key: kv.key }],
        failure: [],
      })
      if (ok) released++
    }
    return present
  }
  const ips = await sweep(IP_PREFIX, (ip) => held.ips.has(ip))
  const ports = await sweep(NODE_PORT_PREFIX, (p) => held.ports.has(Number(p)))
  for (const [ip, owner] of held.ips) {
    if (ips.has(ip)) continue
    const c = claim(ipKey(ip), ipAddressObject(ip, owner))
    if (await tryTxn({ compare: [c.compare], success: [c.op], failure: [] })) restored++
  }
  for (const [port, owner] of held.ports) {
    if (ports.has(String(port))) continue
    const c = claim(nodePortKey(port), owner)
    if (await tryTxn({ compare: [c.compare], success: [c.op], failure: [] })) restored++
  }
  if (released || restored) log.info('repaired service allocations', { released, restored })
  return { released, restored }
}
