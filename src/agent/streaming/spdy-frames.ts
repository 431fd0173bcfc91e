// SPDY/3.1 framing (draft-mbelshe-httpbis-spdy-00 and the 3.1 flow-control amendment), the transport
// kubectl's port-forward uses: control frames `1 | version(15) | type(16) | flags(8) | length(24) | data`
// and data frames `0 | stream-id(31) | flags(8) | length(24) | data`. Header blocks stay opaque here
// (spdy-header-codec.ts compresses them). Pure: bytes in, frames out, and back.

export const SPDY_VERSION = 3
export const FLAG_FIN = 0x01
export const FLAG_UNIDIRECTIONAL = 0x02

export enum ControlType {
  SynStream = 1,
  SynReply = 2,
  RstStream = 3,
  Settings = 4,
  Ping = 6,
  GoAway = 7,
  Headers = 8,
  WindowUpdate = 9,
}

/** RST_STREAM status codes */
export const RST_PROTOCOL_ERROR = 1
export const RST_INVALID_STREAM = 2
export const RST_REFUSED_STREAM = 3
export const RST_CANCEL = 5
export const RST_INTERNAL_ERROR = 6

export type SpdyFrame =
  | { type: 'data'; streamId: number; flags: number; data: Uint8Array }
  | {
      type: 'syn_stream'
      streamId: number
      associatedId: number
      priority: number
      flags: number
      headerBlock: Uint8Array
    }
  | { type: 'syn_reply'; streamId: number; flags: number; headerBlock: Uint8Array }
  | { type: 'headers'; streamId: number; flags: number; headerBlock: Uint8Array }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings'; flags: number; entries: { id: number; flags: number; value: number }[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'window_update'; streamId: number; delta: number }
  | { type: 'unknown'; controlType: number; flags: number; data: Uint8Array }

export class SpdyProtocolError extends Error {
  override name = 'SpdyProtocolError'
}

const HEADER = 8
const ID_MASK = 0x7fffffff
/** Larger than any frame a sane peer sends (the 24-bit length allows 16 MiB). */
export const MAX_FRAME = 1 << 24

/** Splits a byte stream into frames; keeps a partial frame until the rest arrives. */
export class SpdyFrameParser {
  private buf: Uint8Array = new Uint8Array(0)

  push(chunk: Uint8Array): SpdyFrame[] {
    this.buf = this.buf.byteLength ? concat(this.buf, chunk) : new Uint8Array(chunk)
    const out: SpdyFrame[] = []
    let off = 0
    while (this.buf.byteLength - off >= HEADER) {
      const v = new DataView(this.buf.buffer, this.buf.byteOffset + off)
      const len = v.getUint32(4) & 0xffffff
      if (this.buf.byteLength - off < HEADER + len) break
      out.push(decodeFrame(this.buf.subarray(off, off + HEADER + len)))
      off += HEADER + len
    }
    this.buf = off === this.buf.byteLength ? new Uint8Array(0) : this.buf.slice(off)
    return out
  }
}

/** One complete frame (header + body). */
export function decodeFrame(b: Uint8Array): SpdyFrame {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const flags = b[4]
  const body = b.subarray(HEADER)
  const bv = new DataView(body.buffer, body.byteOffset, body.byteLength)
  if ((b[0] & 0x80) === 0) return { type: 'data', streamId: v.getUint32(0) & ID_MASK, flags, data: body }
  const version = v.getUint16(0) & 0x7fff
  if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`)
  const type = v.getUint16(2)
  const need = (n: number) => {
    if (body.byteLength < n) throw new SpdyProtocolError(`control frame ${type} too short (${body.byteLength} bytes)`)
  }
  switch (type) {
    case ControlType.SynStream:
      need(10)
      return {
        type: 'syn_stream',
        streamId: bv.getUint32(0) & ID_MASK,
        associatedId: bv.getUint32(4) & ID_MASK,
        priority: body[8] >> 5,
        flags,
        headerBlock: body.subarray(10),
      }
    case ControlType.SynReply:
      need(4)
      return { type: 'syn_reply', streamId: bv.getUint32(0) & ID_MASK, flags, headerBlock: body.subarray(4) }
    case ControlType.Headers:
      need(4)
      return { type: 'headers', streamId: bv.getUint32(0) & ID_MASK, flags, headerBlock: body.subarray(4) }
    case ControlType.RstStream:
      need(8)
      return { type: 'rst_stream', streamId: bv.getUint32(0) & ID_MASK, status: bv.getUint32(4) }
    case ControlType.Settings: {
      need(4)
      const n = bv.getUint32(0)
      need(4 + n * 8)
      const entries = []
      for (let i = 0; i < n; i++) {
        const w = bv.getUint32(4 + i * 8)
        entries.push({ flags: w >>> 24, id: w & 0xffffff, value: bv.getUint32(8 + i * 8) })
      }
      return { type: 'settings', flags, entries }
    }
    case ControlType.Ping:
      need(4)
      return { type: 'ping', id: bv.getUint32(0) }
    case ControlType.GoAway:
      need(4)
      return {
        type: 'goaway',
        lastGoodStreamId: bv.getUint32(0) & ID_MASK,
        status: body.byteLength >= 8 ? bv.getUint32(4) : 0,
      }
    case ControlType.WindowUpdate:
      need(8)
      return { type: 'window_update', streamId: bv.getUint32(0) & ID_MASK, delta: bv.getUint32(4) & ID_MASK }
    default:
      return { type: 'unknown', controlType: type, flags, data: body }
  }
}

function control(type: ControlType, flags: number, body: Uint8Array): Uint8Array {
  if (body.byteLength >= MAX_FRAME) throw new SpdyProtocolError('control frame too large')
  const out = new Uint8Array(HEADER + body.byteLength)
  const v = new DataView(out.buffer)
  v.setUint16(0, 0x8000 | SPDY_VERSION)
  v.setUint16(2, type)
  v.setUint32(4, ((flags & 0xff) << 24) | body.byteLength)
  out.set(body, HEADER)
  return out
}

function words(...ws: number[]): Uint8Array {
  const out = new Uint8Array(ws.length * 4)
  const v = new DataView(out.buffer)
  for (let i = 0; i < ws.length; i++) v.setUint32(i * 4, ws[i] >>> 0)
  return out
}

export function encodeData(streamId: number, data: Uint8Array, flags = 0): Uint8Array {
  if (data.byteLength >= MAX_FRAME) throw new SpdyProtocolError('data frame too large: split it')
  const out = new Uint8Array(HEADER + data.byteLength)
  const v = new DataView(out.buffer)
  v.setUint32(0, streamId & ID_MASK)
  v.setUint32(4, ((flags & 0xff) << 24) | data.byteLength)
  out.set(data, HEADER)
  return out
}

export function encodeSynStream(
  streamId: number,
  headerBlock: Uint8Array,
  o: { flags?: number; associatedId?: number; priority?: number } = {},
): Uint8Array {
  const head = new Uint8Array(10)
  const v = new DataView(head.buffer)
  v.setUint32(0, streamId & ID_MASK)
  v.setUint32(4, (o.associatedId ?? 0) & ID_MASK)
  head[8] = ((o.priority ?? 0) & 7) << 5
  return control(ControlType.SynStream, o.flags ?? 0, concat(head, headerBlock))
}

export const encodeSynReply = (streamId: number, headerBlock: Uint8Array, flags = 0) =>
  control(ControlType.SynReply, flags, concat(words(streamId & ID_MASK), headerBlock))
export const encodeRstStream = (streamId: number, status: number) =>
  control(ControlType.RstStream, 0, words(streamId & ID_MASK, status))
export const encodePing = (id: number) => control(ControlType.Ping, 0, words(id))
export const encodeGoAway = (lastGoodStreamId: number, status = 0) =>
  control(ControlType.GoAway, 0, words(lastGoodStreamId & ID_MASK, status))
export const encodeWindowUpdate = (streamId: number, delta: number) =>
  control(ControlType.WindowUpdate, 0, words(streamId & ID_MASK, delta & ID_MASK))
export const encodeSettings = (entries: { id: number; flags?: number; value: number }[], flags = 0) =>
  control(
    ControlType.Settings,
    flags,
    words(entries.length, ...entries.flatMap((e) => [((e.flags ?? 0) << 24) | (e.id & 0xffffff), e.value])),
  )

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength)
  out.set(a)
  out.set(b, a.byteLength)
  return out
}
