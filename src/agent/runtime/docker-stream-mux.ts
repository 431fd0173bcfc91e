// Docker's multiplexed stream (logs, exec and attach without a TTY): frames of `[stream, 0, 0, 0,
// size uint32 BE]` + payload, stream 1 = stdout, 2 = stderr (0 = stdin, written by old daemons as
// stdout). Pure and incremental: feed chunks in any split, get whole payload pieces out.

export class DockerDemuxer {
  private buf: Uint8Array = new Uint8Array(0)

  push(chunk: Uint8Array): { channel: 1 | 2; data: Uint8Array }[] {
    const b = this.buf.byteLength ? concat(this.buf, chunk) : chunk
    const out: { channel: 1 | 2; data: Uint8Array }[] = []
    let off = 0
    while (b.byteLength - off >= 8) {
      const size = new DataView(b.buffer, b.byteOffset + off + 4, 4).getUint32(0)
      if (b.byteLength - off - 8 < size) break
      const channel = b[off] === 2 ? 2 : 1
      if (size) out.push({ channel, data: b.slice(off + 8, off + 8 + size) })
      off += 8 + size
    }
    this.buf = b.slice(off)
    return out
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength)
  out.set(a)
  out.set(b, a.byteLength)
  return out
}

/** Log streams: the payloads in order, stdout and stderr merged as `kubectl logs` shows them. */
export function demuxStream(src: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const d = new DockerDemuxer()
  return src.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, c) {
        for (const p of d.push(chunk)) c.enqueue(p.data)
      },
    }),
  )
}
