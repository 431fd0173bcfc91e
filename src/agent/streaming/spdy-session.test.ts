import { describe, expect, test } from 'bun:test'
import { portForwardHandler } from './port-forward.ts'
import type { PortHandlers } from './runtime.ts'
import {
  decodeFrame,
  encodeData,
  encodePing,
  encodeRstStream,
  encodeSynStream,
  FLAG_FIN,
  type SpdyFrame,
  SpdyFrameParser,
} from './spdy-frames.ts'
import { SpdyHeaderCodec } from './spdy-header-codec.ts'
import { SpdyServerSession } from './spdy-session.ts'

const enc = new TextEncoder()
const dec = new TextDecoder()

/** Header blocks (de)compress asynchronously: wait for what the test expects next, not for a time. */
async function until(cond: () => boolean) {
  for (let i = 0; i < 1000 && !cond(); i++) await Bun.sleep(5)
}

/** A fake pod port: records what arrives; the test drives the pod's side through `pod`. */
function fakeRuntime(fail?: string) {
  const got: string[] = []
  let ended = false
  let pod: PortHandlers | undefined
  return {
    got,
    ended: () => ended,
    pod: () => pod!,
    runtime: {
      async portForward(_ns: string, _pod: string, _port: number, h: PortHandlers) {
        if (fail) throw new Error(fail)
        pod = h
        return { write: (d: Uint8Array) => got.push(dec.decode(d)), end: () => (ended = true), close() {} }
      },
    },
  }
}

/** kubectl's side: compresses its headers, reads the server's frames. */
function client(fail?: string) {
  const codec = new SpdyHeaderCodec()
  const parser = new SpdyFrameParser()
  const frames: SpdyFrame[] = []
  const rt = fakeRuntime(fail)
  const session = new SpdyServerSession(
    { send: (b) => frames.push(...parser.push(b)), close() {} },
    portForwardHandler(rt.runtime, 'default', 'web'),
  )
  // Byte by byte: WebSocket messages need not align with frames.
  const send = (b: Uint8Array) => {
    for (const x of b) session.receive(new Uint8Array([x]))
  }
  const open = async (id: number, type: string, requestId = '0') =>
    send(encodeSynStream(id, await codec.compress({ streamtype: type, port: '80', requestid: requestId })))
  return { send, open, frames, rt, session }
}

describe('SPDY port-forward session', () => {
  test('error + data streams with one requestID make one connection to the pod port', async () => {
    const c = client()
    await c.open(1, 'error')
    await c.open(3, 'data')
    c.send(encodeData(1, new Uint8Array(0), FLAG_FIN)) // kubectl closes its side of the error stream
    c.send(encodeData(3, enc.encode('GET / HTTP/1.0\r\n\r\n')))
    await until(() => c.rt.got.length > 0)
    expect(c.frames.filter((f) => f.type === 'syn_reply').map((f) => (f as any).streamId)).toEqual([1, 3])
    expect(c.rt.got.join('')).toBe('GET / HTTP/1.0\r\n\r\n')

    c.rt.pod().data(enc.encode('HTTP/1.0 200 OK\r\n\r\nhi'))
    c.send(encodeData(3, new Uint8Array(0), FLAG_FIN))
    c.rt.pod().closed()
    await until(() => c.rt.ended())
    expect(c.rt.ended()).toBe(true)
    const data = c.frames.filter((f) => f.type === 'data') as Extract<SpdyFrame, { type: 'data' }>[]
    expect(dec.decode(data.find((f) => f.streamId === 3 && f.data.byteLength)!.data)).toContain('hi')
    // Both streams end with a FIN (kubectl waits for the error stream's end), nothing on the error stream.
    expect(data.filter((f) => f.flags & FLAG_FIN).map((f) => f.streamId)).toEqual([3, 1])
    expect(data.some((f) => f.streamId === 1 && f.data.byteLength)).toBe(false)
    c.session.close()
  })

  test('a connection failure is written on the error stream', async () => {
    const c = client('connect: connection refused')
    await c.open(1, 'error', '7')
    await c.open(3, 'data', '7')
    await until(() => c.frames.some((f) => f.type === 'data' && f.streamId === 1))
    const err = c.frames.find((f) => f.type === 'data' && f.streamId === 1 && f.data.byteLength) as any
    expect(dec.decode(err.data)).toBe('error forwarding port 80 to pod default/web: connect: connection refused')
    c.session.close()
  })

  test('pings are echoed; DATA on an unknown stream is refused', async () => {
    const c = client()
    c.send(encodePing(5))
    c.send(encodeData(9, enc.encode('x')))
    await until(() => c.frames.length >= 2)
    expect(c.frames).toEqual([{ type: 'ping', id: 5 }, decodeFrame(encodeRstStream(9, 2))])
    c.session.close()
  })
})
