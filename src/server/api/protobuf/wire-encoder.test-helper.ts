// A tiny protobuf writer for tests: builds messages field by field so unit tests can state
// exactly which bytes the decoder sees, the way Kubernetes' gogo marshallers lay them out.

export type Bytes = Uint8Array

export function varint(value: number | bigint): Bytes {
  // negative int32/int64 are sign-extended to 64 bits, i.e. ten bytes on the wire
  let v = BigInt.asUintN(64, BigInt(value))
  const out: number[] = []
  do {
    let b = Number(v & 0x7fn)
    v >>= 7n
    if (v > 0n) b |= 0x80
    out.push(b)
  } while (v > 0n)
  return Uint8Array.from(out)
}

const cat = (...parts: Bytes[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

const tag = (field: number, wire: number) => varint((field << 3) | wire)

/** A varint field (int32, int64, bool). */
export const num = (field: number, value: number | bigint | boolean) =>
  cat(tag(field, 0), varint(typeof value === 'boolean' ? Number(value) : value))

/** A length-delimited field: string, bytes, or an embedded message. */
export const len = (field: number, payload: string | Bytes) => {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload
  return cat(tag(field, 2), varint(bytes.length), bytes)
}

export const double = (field: number, value: number) => {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setFloat64(0, value, true)
  return cat(tag(field, 1), b)
}

/** A message body: its fields concatenated. */
export const msg = (...fields: Bytes[]) => cat(...fields)

/** One proto map entry {1: key, 2: value}. */
export const entry = (field: number, key: string, value: Bytes) => len(field, msg(len(1, key), value))

/** metav1.Time / MicroTime payload. */
export const time = (seconds: number, nanos = 0) => msg(num(1, seconds), ...(nanos ? [num(2, nanos)] : []))

/** intstr.IntOrString payload. */
export const intOrString = (v: number | string) =>
  typeof v === 'number' ? msg(num(1, 0), num(2, v), len(3, '')) : msg(num(1, 1), num(2, 0), len(3, v))

/** resource.Quantity payload. */
export const quantity = (s: string) => msg(len(1, s))

/** The `k8s\0` + runtime.Unknown envelope around an object's bytes. */
export const envelope = (apiVersion: string, kind: string, raw: Bytes, contentEncoding = '') =>
  cat(
    Uint8Array.from([0x6b, 0x38, 0x73, 0x00]),
    len(1, msg(len(1, apiVersion), len(2, kind))),
    len(2, raw),
    len(3, contentEncoding),
    len(4, ''),
  )
