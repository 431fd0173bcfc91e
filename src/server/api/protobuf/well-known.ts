// apimachinery types whose JSON form differs from their protobuf message, decoded to exactly
// what the JSON API carries. Each takes the field's payload and returns the JSON value, or
// undefined when JSON would omit it (a zero metav1.Time marshals as null).
import { ProtoReader } from './proto-reader.ts'

type Decode = (payload: Uint8Array) => unknown

/** Reads a small message whose fields are all known up front: number → value. */
function fields(payload: Uint8Array, read: Record<number, (r: ProtoReader) => unknown>): Record<number, unknown> {
  const r = new ProtoReader(payload)
  const out: Record<number, unknown> = {}
  while (!r.done) {
    const { field, wire } = r.tag()
    const f = read[field]
    if (f) out[field] = f(r)
    else r.skip(wire)
  }
  return out
}

const int64 = (r: ProtoReader) => r.int64()
const int32 = (r: ProtoReader) => r.int32()
const str = (r: ProtoReader) => r.string()

/** metav1.Time {1: seconds, 2: nanos}: RFC 3339 in UTC, whole seconds, as metav1.Time marshals JSON. */
const time: Decode = (p) => {
  const f = fields(p, { 1: int64, 2: int32 })
  const seconds = (f[1] as number) ?? 0
  if (seconds === 0 && !f[2]) return undefined
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')
}

/** metav1.MicroTime: like Time with six fractional digits (RFC3339Micro). */
const microTime: Decode = (p) => {
  const f = fields(p, { 1: int64, 2: int32 })
  const seconds = (f[1] as number) ?? 0
  const nanos = (f[2] as number) ?? 0
  if (seconds === 0 && nanos === 0) return undefined
  const micros = String(Math.floor(nanos / 1000)).padStart(6, '0')
  return new Date(seconds * 1000).toISOString().replace('.000Z', `.${micros}Z`)
}

/** metav1.Duration {1: nanoseconds} → Go's time.Duration String(), e.g. "1h0m0s", "1.5s", "300ms". */
const duration: Decode = (p) => formatGoDuration(((fields(p, { 1: int64 })[1] as number) ?? 0) as number)

export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s'
  const sign = ns < 0 ? '-' : ''
  const abs = Math.abs(ns)
  if (abs < 1e3) return `${sign}${abs}ns`
  if (abs < 1e6) return `${sign}${trim(abs / 1e3)}µs`
  if (abs < 1e9) return `${sign}${trim(abs / 1e6)}ms`
  const h = Math.floor(abs / 3.6e12)
  const m = Math.floor((abs % 3.6e12) / 6e10)
  const s = trim((abs % 6e10) / 1e9)
  if (h) return `${sign}${h}h${m}m${s}s`
  if (m) return `${sign}${m}m${s}s`
  return `${sign}${s}s`
}

const trim = (n: number) => String(Number(n.toFixed(9)))

/** resource.Quantity {1: string}: JSON carries the canonical string ("500m", "1Gi"). */
const quantity: Decode = (p) => (fields(p, { 1: str })[1] as string) ?? ''

/** intstr.IntOrString {1: type (0 int, 1 string), 2: intVal, 3: strVal}. */
const intOrString: Decode = (p) => {
  const f = fields(p, { 1: int64, 2: int32, 3: str })
  return f[1] === 1 ? ((f[3] as string) ?? '') : ((f[2] as number) ?? 0)
}

/** runtime.RawExtension {1: raw}: raw holds the embedded object's JSON. */
const rawExtension: Decode = (p) => {
  const raw = fields(p, { 1: (r) => r.bytes() })[1] as Uint8Array | undefined
  if (!raw || raw.length === 0) return undefined
  return JSON.parse(new TextDecoder().decode(raw))
}

/** authentication/v1 ExtraValue {1: repeated string}: JSON is the bare array. */
const extraValue: Decode = (p) => {
  const r = new ProtoReader(p)
  const items: string[] = []
  while (!r.done) {
    const { field, wire } = r.tag()
    if (field === 1) items.push(r.string())
    else r.skip(wire)
  }
  return items
}

export const WELL_KNOWN = {
  Time: time,
  MicroTime: microTime,
  Duration: duration,
  Quantity: quantity,
  IntOrString: intOrString,
  RawExtension: rawExtension,
  ExtraValue: extraValue,
} satisfies Record<string, Decode>

export type WellKnownName = keyof typeof WELL_KNOWN
