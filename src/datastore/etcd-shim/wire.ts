// Conversions between the gRPC wire shapes (snake_case, int64 as strings, bytes as Buffers) and the
// Backend's (camelCase, numbers, keys as binary strings). Keys are bytes on the wire: latin1 maps
// each byte to one char and back exactly, so byte order is preserved.
import type { KeyValue, WatchEvent } from '../backend.ts'

export interface WireKeyValue {
  key: Buffer
  create_revision: number
  mod_revision: number
  version: number
  value: Buffer
  lease: number
}

export interface WireEvent {
  type: 'PUT' | 'DELETE'
  kv: WireKeyValue
  prev_kv?: WireKeyValue
}

export const keyFromWire = (b: Buffer | Uint8Array | undefined): string =>
  b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1') : ''

export const keyToWire = (s: string): Buffer => Buffer.from(s, 'latin1')

/** An empty range_end means "only `key`"; "\0" means "every key >= key", as in etcd. */
export const rangeEndFromWire = (b: Buffer | undefined): string | undefined =>
  b && b.length > 0 ? keyFromWire(b) : undefined

/** int64 fields arrive as decimal strings (longs: String); every number we use fits in a double. */
export const num = (v: string | number | undefined | null): number => (v == null || v === '' ? 0 : Number(v))

const asBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength)

export function kvToWire(kv: KeyValue): WireKeyValue {
  return {
    key: keyToWire(kv.key),
    create_revision: kv.createRevision,
    mod_revision: kv.modRevision,
    version: kv.version,
    value: asBuffer(kv.value),
    lease: kv.lease,
  }
}

export function eventToWire(ev: WatchEvent): WireEvent {
  const out: WireEvent = { type: ev.type === 'put' ? 'PUT' : 'DELETE', kv: kvToWire(ev.kv) }
  if (ev.prevKv) out.prev_kv = kvToWire(ev.prevKv)
  return out
}
