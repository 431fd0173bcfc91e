// Port-forward over SPDY, as the kubelet's httpstream handler: per forwarded connection the client opens
// an error stream and a data stream with the same `requestID` (header `port` names the pod port). Once
// both are there we connect to the pod: data stream ↔ TCP; a failure is written as text on the error
// stream (kubectl prints "an error occurred forwarding ..."). Both streams are ended when the pod side
// closes; the client's FIN on the data stream half-closes the pod connection.
import { logger } from '../../shared/log.ts'
import type { PortConnection, StreamingRuntime } from './runtime.ts'
import type { SpdyStream } from './spdy-session.ts'

const log = logger('port-forward')

interface Pair {
  error?: SpdyStream
  data?: SpdyStream
  timer?: ReturnType<typeof setTimeout>
}

/** As upstream: a pair not completed within this time is dropped. */
const PAIR_TIMEOUT_MS = 30_000

/** Streams from older clients carry no requestID: upstream derives it from the stream id. */
export function requestIdOf(s: { id: number; headers: Record<string, string> }): string {
  const id = s.headers.requestid
  if (id !== undefined) return id
  return String(s.headers.streamtype === 'data' ? s.id - 2 : s.id)
}

export function portForwardHandler(
  runtime: Pick<StreamingRuntime, 'portForward'>,
  ns: string,
  pod: string,
  allowedPorts?: number[],
) {
  const pairs = new Map<string, Pair>()
  const enc = new TextEncoder()

  return (s: SpdyStream) => {
    const type = s.headers.streamtype
    if (type !== 'error' && type !== 'data') {
      s.end()
      return
    }
    const key = requestIdOf(s)
    const p = pairs.get(key) ?? {}
    pairs.set(key, p)
    p[type] = s
    p.timer ??= setTimeout(() => {
      pairs.delete(key)
      p.error?.end()
      p.data?.end()
    }, PAIR_TIMEOUT_MS)
    if (!p.error || !p.data) return
    clearTimeout(p.timer)
    pairs.delete(key)
    void forward(p.error, p.data)
  }

  async function forward(errorStream: SpdyStream, data: SpdyStream) {
    const port = Number(data.headers.port)
    const fail = (msg: string) => {
      errorStream.write(enc.encode(`error forwarding port ${data.headers.port} to pod ${ns}/${pod}: ${msg}`))
      errorStream.end()
      data.end()
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535) return fail('invalid port')
    if (allowedPorts && !allowedPorts.includes(port)) return fail('port not allowed')
    let conn: PortConnection | undefined
    let done = false
    const pending: Uint8Array[] = []
    let clientEnded = false
    data.onData((d) => (conn ? conn.write(d) : pending.push(new Uint8Array(d))))
    data.onEnd(() => (conn ? conn.end() : (clientEnded = true)))
    data.onReset(() => conn?.close())
    try {
      conn = await runtime.portForward(ns, pod, port, {
        data: (chunk) => data.write(chunk),
        closed(err) {
          if (done) return
          done = true
          if (err) errorStream.write(enc.encode(`error forwarding port ${port} to pod ${ns}/${pod}: ${err.message}`))
          data.end()
          errorStream.end()
        },
      })
    } catch (e) {
      log.debug('port-forward connect failed', { ns, pod, port, error: e })
      return fail((e as Error).message)
    }
    if (data.reset) return conn.close()
    for (const d of pending) conn.write(d)
    if (clientEnded) conn.end()
  }
}
