// SPDY/3 header blocks: `count(32) { name-len(32) name value-len(32) value }*` (names lower-case, several
// values joined by NUL), zlib-compressed with the SPDY/3 dictionary. Each direction of a connection is
// ONE zlib stream: every block is flushed with Z_SYNC_FLUSH and the next continues the same context, so
// the compressor and decompressor must live as long as the connection and see blocks in order.
import zlib from 'node:zlib'
import { SPDY3_DICTIONARY } from './spdy-dictionary.ts'
import { SpdyProtocolError } from './spdy-frames.ts'

export type SpdyHeaders = Record<string, string>

export function encodeHeaderBlock(h: SpdyHeaders): Uint8Array {
  const enc = new TextEncoder()
  const pairs = Object.entries(h).map(([k, v]) => [enc.encode(k.toLowerCase()), enc.encode(v)] as const)
  const size = 4 + pairs.reduce((n, [k, v]) => n + 8 + k.byteLength + v.byteLength, 0)
  const out = new Uint8Array(size)
  const dv = new DataView(out.buffer)
  dv.setUint32(0, pairs.length)
  let off = 4
  for (const [k, v] of pairs) {
    dv.setUint32(off, k.byteLength)
    out.set(k, off + 4)
    off += 4 + k.byteLength
    dv.setUint32(off, v.byteLength)
    out.set(v, off + 4)
    off += 4 + v.byteLength
  }
  return out
}

/** Several values of one name (NUL-separated on the wire) come back joined by NUL, as sent. */
export function decodeHeaderBlock(b: Uint8Array): SpdyHeaders {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const dec = new TextDecoder()
  const read = (off: number) => {
    if (off + 4 > b.byteLength) throw new SpdyProtocolError('truncated header block')
    const len = dv.getUint32(off)
    if (off + 4 + len > b.byteLength) throw new SpdyProtocolError('truncated header block')
    return [dec.decode(b.subarray(off + 4, off + 4 + len)), off + 4 + len] as const
  }
  if (b.byteLength < 4) throw new SpdyProtocolError('truncated header block')
  const n = dv.getUint32(0)
  const out: SpdyHeaders = {}
  let off = 4
  for (let i = 0; i < n; i++) {
    const [k, o1] = read(off)
    const [v, o2] = read(o1)
    out[k.toLowerCase()] = v
    off = o2
  }
  return out
}

/** A zlib stream (deflate or inflate) fed one block at a time, each answered after a sync flush. */
class ZlibContext {
  private chain: Promise<unknown> = Promise.resolve()
  private chunks: Buffer[] = []
  constructor(private z: zlib.Deflate | zlib.Inflate) {
    z.on('data', (c: Buffer) => this.chunks.push(c))
    z.on('error', () => {})
  }

  /** Serialized: blocks go through the shared context in call order. */
  run(input: Uint8Array): Promise<Uint8Array> {
    const next = this.chain.then(
      () =>
        new Promise<Uint8Array>((resolve, reject) => {
          const onError = (e: Error) => reject(new SpdyProtocolError(`header block: ${e.message}`))
          this.z.once('error', onError)
          this.z.write(input)
          this.z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            this.z.off('error', onError)
            const out = Buffer.concat(this.chunks)
            this.chunks = []
            resolve(new Uint8Array(out.buffer, out.byteOffset, out.byteLength))
          })
        }),
    )
    this.chain = next.catch(() => {})
    return next
  }

  close() {
    this.z.destroy()
  }
}

/** One per connection: compress what we send, decompress what we receive. */
export class SpdyHeaderCodec {
  private out = new ZlibContext(zlib.createDeflate({ dictionary: SPDY3_DICTIONARY }))
  private in = new ZlibContext(zlib.createInflate({ dictionary: SPDY3_DICTIONARY }))

  async compress(h: SpdyHeaders): Promise<Uint8Array> {
    return this.out.run(encodeHeaderBlock(h))
  }

  async decompress(block: Uint8Array): Promise<SpdyHeaders> {
    return decodeHeaderBlock(await this.in.run(block))
  }

  close() {
    this.out.close()
    this.in.close()
  }
}
