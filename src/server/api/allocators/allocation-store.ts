// Allocations persisted in the datastore, one key per allocated value, so the datastore's create
// compare makes double allocation impossible even across servers and restarts:
// ClusterIPs as upstream's IPAddress objects (`/registry/ipaddresses/<ip>`, networking.k8s.io/v1),
// NodePorts under `/registry/ranges/servicenodeports/<port>`.
import type { Backend, Compare, TxnOp } from '../../../datastore/backend.ts'
import { prefixEnd } from '../../../datastore/ops.ts'

export const IP_PREFIX = '/registry/ipaddresses/'
export const NODE_PORT_PREFIX = '/registry/ranges/servicenodeports/'

export const ipKey = (ip: string) => `${IP_PREFIX}${ip}`
export const nodePortKey = (port: number) => `${NODE_PORT_PREFIX}${port}`

export interface Owner {
  namespace: string
  name: string
}

export async function takenKeys(backend: Backend, prefix: string): Promise<string[]> {
  const r = await backend.range({ key: prefix, rangeEnd: prefixEnd(prefix), keysOnly: true })
  return r.kvs.map((kv) => kv.key.slice(prefix.length))
}

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v))

export function ipAddressObject(ip: string, owner: Owner) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IPAddress',
    metadata: {
      name: ip,
      uid: crypto.randomUUID(),
      creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      labels: {
        'ipaddress.kubernetes.io/ip-family': 'IPv4',
        'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io',
      },
    },
    spec: { parentRef: { group: '', resource: 'services', namespace: owner.namespace, name: owner.name } },
  }
}

/** compare "absent" + put, for one new allocation */
export function claim(key: string, value: unknown): { compare: Compare; op: TxnOp } {
  return {
    compare: { key, target: 'mod', result: 'equal', value: 0 },
    op: { type: 'put', key, value: enc(value) },
  }
}

export const release = (key: string): TxnOp => ({ type: 'delete', key })
