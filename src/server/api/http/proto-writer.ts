// Minimal protobuf writer for the documents we encode by hand (gnostic OpenAPI v2): varints, doubles,
// booleans, strings and nested messages, built bottom-up.
const enc = new TextEncoder()

export class ProtoWriter {
  private parts: Uint8Array[] = []

  private varint(n: number) {
    const out: number[] = []
    // numbers up to 2^53: division keeps the high bits that `>>>` would drop
    while (n > 0x7f) {
      out.push((n % 128) | 0x80)
      n = Math.floor(n / 128)
    }
    out.push(n)
    this.parts.push(Uint8Array.from(out))
  }

  bytes(field: number, b: Uint8Array): this {
    this.varint((field << 3) | 2)
    this.varint(b.byteLength)
    this.parts.push(b)
    return this
  }

  string(field: number, s: string): this {
    return this.bytes(field, enc.encode(s))
  }

  /** A non-negative integer (int64 fields). */
  uint(field: number, n: number): this {
    this.varint(field << 3)
    this.varint(Math.max(0, Math.trunc(n)))
    return this
  }

  bool(field: number, b: boolean): this {
    return this.uint(field, b ? 1 : 0)
  }

  double(field: number, n: number): this {
    this.varint((field << 3) | 1)
    const b = new Uint8Array(8)
    new DataView(b.buffer).setFloat64(0, n, true)
    this.parts.push(b)
    return this
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const w = new ProtoWriter()
    build(w)
    return this.bytes(field, w.finish())
  }

  finish(): Uint8Array {
    const size = this.parts.reduce((n, p) => n + p.byteLength, 0)
    const out = new Uint8Array(size)
    let off = 0
    for (const p of this.parts) {
      out.set(p, off)
      off += p.byteLength
    }
    return out
  }
}
