// The server end of a SPDY/3.1 connection (the role the kubelet plays for port-forward): accepts the
// client's streams (SYN_STREAM → SYN_REPLY, as k8s.io/apimachinery's spdy connection does before handing
// a stream over), carries DATA both ways, echoes PINGs, and ends on GOAWAY or transport close. Flow
// control windows are not enforced: moby/spdystream, kubectl's side, neither sends nor honours them.
import { logger } from '../../shared/log.ts'
import {
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  FLAG_FIN,
  RST_INVALID_STREAM,
  RST_PROTOCOL_ERROR,
  type SpdyFrame,
  SpdyFrameParser,
} from './spdy-frames.ts'
import { SpdyHeaderCodec, type SpdyHeaders } from './spdy-header-codec.ts'

const log = logger('spdy')
/** DATA frames we send stay small so one stream cannot hog the shared transport. */
const MAX_DATA = 32 * 1024

export interface ByteTransport {
  send(chunk: Uint8Array): void
  close(): void
}

export class SpdyStream {
  private dataFns: ((d: Uint8Array) => void)[] = []
  private endFns: (() => void)[] = []
  private resetFns: (() => void)[] = []
  private localDone = false
  remoteDone = false
  reset = false

  constructor(
    readonly id: number,
    readonly headers: SpdyHeaders,
    private session: SpdyServerSession,
  ) {}

  onData(fn: (d: Uint8Array) => void) {
    this.dataFns.push(fn)
  }
  /** the client sent FIN: it writes no more */
  onEnd(fn: () => void) {
    this.endFns.push(fn)
  }
  onReset(fn: () => void) {
    this.resetFns.push(fn)
  }

  write(data: Uint8Array) {
    if (this.localDone || this.reset) return
    for (let off = 0; off < data.byteLength; off += MAX_DATA)
      this.session.sendRaw(encodeData(this.id, data.subarray(off, off + MAX_DATA)))
  }

  /** FIN: we write no more */
  end() {
    if (this.localDone || this.reset) return
    this.localDone = true
    this.session.sendRaw(encodeData(this.id, new Uint8Array(0), FLAG_FIN))
    this.session.maybeForget(this)
  }

  get finished() {
    return this.reset || (this.localDone && this.remoteDone)
  }

  /** @internal */ deliver(d: Uint8Array) {
    for (const f of this.dataFns) f(d)
  }
  /** @internal */ remoteEnd() {
    if (this.remoteDone) return
    this.remoteDone = true
    for (const f of this.endFns) f()
    this.session.maybeForget(this)
  }
  /** @internal */ resetByPeer() {
    if (this.reset) return
    this.reset = true
    for (const f of this.resetFns) f()
  }
}

export class SpdyServerSession {
  private parser = new SpdyFrameParser()
  private codec = new SpdyHeaderCodec()
  private streams = new Map<number, SpdyStream>()
  private chain: Promise<void> = Promise.resolve()
  private lastStreamId = 0
  private closed = false
  private closeFns: (() => void)[] = []

  constructor(
    private transport: ByteTransport,
    private onStream: (s: SpdyStream) => void,
  ) {}

  onClose(fn: () => void) {
    this.closeFns.push(fn)
  }

  /** Bytes from the transport (any split: WebSocket messages need not align with frames). */
  receive(chunk: Uint8Array) {
    if (this.closed) return
    let frames: SpdyFrame[]
    try {
      frames = this.parser.push(chunk)
    } catch (e) {
      this.fail(e as Error)
      return
    }
    // Header blocks decompress asynchronously; the chain keeps frames in order (a DATA frame never
    // overtakes its stream's SYN_STREAM).
    for (const f of frames)
      this.chain = this.chain.then(() => (this.closed ? undefined : this.handle(f))).catch((e) => this.fail(e))
  }

  sendRaw(frame: Uint8Array) {
    if (!this.closed) this.transport.send(frame)
  }

  maybeForget(s: SpdyStream) {
    if (s.finished) this.streams.delete(s.id)
  }

  /** The transport ended (or we end it): every stream is reset. */
  close() {
    if (this.closed) return
    this.closed = true
    for (const s of this.streams.values()) s.resetByPeer()
    this.streams.clear()
    this.codec.close()
    for (const f of this.closeFns) f()
  }

  private fail(e: Error) {
    log.debug('closing the SPDY connection', { error: e })
    this.sendRaw(encodeGoAway(this.lastStreamId, 1))
    this.close()
    this.transport.close()
  }

  private async handle(f: SpdyFrame): Promise<void> {
    switch (f.type) {
      case 'syn_stream': {
        const headers = await this.codec.decompress(f.headerBlock)
        // Client-initiated streams are odd and increasing; anything else is a protocol error.
        if (f.streamId % 2 === 0 || f.streamId <= this.lastStreamId) {
          this.sendRaw(encodeRstStream(f.streamId, RST_PROTOCOL_ERROR))
          return
        }
        this.lastStreamId = f.streamId
        const s = new SpdyStream(f.streamId, headers, this)
        this.streams.set(f.streamId, s)
        this.sendRaw(encodeSynReply(f.streamId, await this.codec.compress({})))
        if (f.flags & FLAG_FIN) s.remoteDone = true
        this.onStream(s)
        return
      }
      case 'data': {
        const s = this.streams.get(f.streamId)
        if (!s) {
          this.sendRaw(encodeRstStream(f.streamId, RST_INVALID_STREAM))
          return
        }
        if (f.data.byteLength) s.deliver(f.data)
        if (f.flags & FLAG_FIN) s.remoteEnd()
        return
      }
      case 'rst_stream': {
        const s = this.streams.get(f.streamId)
        this.streams.delete(f.streamId)
        s?.resetByPeer()
        return
      }
      case 'ping':
        // Echo the client's (odd) pings; ours would be even and we send none.
        if (f.id % 2 === 1) this.sendRaw(encodePing(f.id))
        return
      case 'goaway':
        this.close()
        this.transport.close()
        return
      case 'headers':
        await this.codec.decompress(f.headerBlock) // keeps the shared zlib context in step
        return
      default:
        // SETTINGS, WINDOW_UPDATE and unknown control frames need no answer.
        return
    }
  }
}
