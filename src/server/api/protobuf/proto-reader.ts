// A minimal protobuf wire-format reader: just what decoding Kubernetes' proto2 messages needs
// (varints, length-delimited fields, fixed64 doubles), over a Uint8Array without copying.
// Every read is bounds-checked and throws MalformedProtobuf, so a truncated or garbled body
// becomes a 400 instead of a crash.

export const WIRE = { VARINT: 0, FIXED64: 1, LEN: 2, START_GROUP: 3, END_GROUP: 4, FIXED32: 5 } as const

export class MalformedProtobuf extends Error {
  override name = 'MalformedProtobuf'
}

const TWO_32 = 2 ** 32

export class ProtoReader {
  pos: number

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start
  }

  get done(): boolean {
    return this.pos >= this.end
  }

  /** Field number and wire type of the next field. */
  tag(): { field: number; wire: number } {
    const t = this.uint32()
    const field = t >>> 3
    if (field === 0) throw new MalformedProtobuf(`invalid field number 0 at byte ${this.pos}`)
    return { field, wire: t & 7 }
  }

  /** The low 32 bits and the high 32 bits of a varint (up to 10 bytes). */
  private varint64(): [lo: number, hi: number] {
    let lo = 0
    let hi = 0
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new MalformedProtobuf('truncated varint')
      const b = this.buf[this.pos++]
      if (i < 4) lo |= (b & 0x7f) << (7 * i)
      else if (i === 4) {
        lo |= (b & 0x0f) << 28
        hi |= (b & 0x7f) >> 4
      } else hi |= (b & 0x7f) << (7 * i - 32)
      if (b < 0x80) return [lo >>> 0, hi >>> 0]
    }
    throw new MalformedProtobuf('varint longer than 10 bytes')
  }

  uint32(): number {
    return this.varint64()[0]
  }

  /** int32 is sign-extended to 64 bits on the wire; the low word carries the value. */
  int32(): number {
    return this.varint64()[0] | 0
  }

  /** int64 as a JS number (exact up to 2^53, which every Kubernetes int64 field stays within). */
  int64(): number {
    const [lo, hi] = this.varint64()
    return (hi | 0) * TWO_32 + lo
  }

  bool(): boolean {
    const [lo, hi] = this.varint64()
    return lo !== 0 || hi !== 0
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new MalformedProtobuf('truncated fixed64')
    // doubles are rare in Kubernetes objects: no DataView per reader, one per double
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true)
    this.pos += 8
    return v
  }

  /** A length-delimited field's payload as a subarray (no copy). */
  bytes(): Uint8Array {
    const len = this.uint32()
    if (this.pos + len > this.end) throw new MalformedProtobuf(`length ${len} runs past the end of the message`)
    const out = this.buf.subarray(this.pos, this.pos + len)
    this.pos += len
    return out
  }

  string(): string {
    const b = this.bytes()
    // most strings in an object are short ASCII names; skip TextDecoder's call overhead for them
    if (b.length < 64) {
      let s = ''
      for (let i = 0; i < b.length; i++) {
        if (b[i] > 0x7f) return decoder.decode(b)
        s += String.fromCharCode(b[i])
      }
      return s
    }
    return decoder.decode(b)
  }

  /** Skips a field we do not know, as protobuf readers must (newer clients add fields). */
  skip(wire: number): void {
    switch (wire) {
      case WIRE.VARINT:
        this.varint64()
        return
      case WIRE.FIXED64:
        this.advance(8)
        return
      case WIRE.LEN:
        this.bytes()
        return
      case WIRE.FIXED32:
        this.advance(4)
        return
      default:
        throw new MalformedProtobuf(`unsupported wire type ${wire}`)
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new MalformedProtobuf('truncated fixed-width field')
    this.pos += n
  }
}

const decoder = new TextDecoder('utf-8', { fatal: false })
