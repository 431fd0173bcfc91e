// etcdserverpb.Watch: the grpc-js adapter around WatchSession.
import { type handleBidiStreamingCall, status as Status } from '@grpc/grpc-js'
import type { Backend } from '../backend.ts'
import type { OpenStreams } from './open-streams.ts'
import { WatchSession, type WireWatchRequest } from './watch-session.ts'
import type { WireEvent } from './wire.ts'

/**
 * A client that stops reading while events keep coming would make the server buffer without bound.
 * Past this many queued bytes (values and keys not yet flushed to the socket) the stream fails
 * instead; etcd clients then re-open their watches from the last revision they saw (kine likewise
 * drops slow consumers). Generous, so a replay of history to a healthy client never trips it.
 */
export const MAX_QUEUED_BYTES = 256 * 1024 * 1024

export function watchService(store: Backend, streams: OpenStreams) {
  const Watch: handleBidiStreamingCall<WireWatchRequest, unknown> = (call) => {
    let open = true
    let queued = 0
    const session = new WatchSession(store, (resp) => {
      if (!open) return
      const size = responseBytes(resp)
      if (queued + size > MAX_QUEUED_BYTES) {
        stop()
        call.emit('error', { code: Status.RESOURCE_EXHAUSTED, details: 'etcdserver: watch stream consumer too slow' })
        return
      }
      queued += size
      call.write(resp, () => {
        queued -= size
      })
    })
    const stop = () => {
      if (!open) return
      open = false
      session.close()
      unregister()
    }
    const unregister = streams.add(() => {
      stop()
      call.end()
    })
    call.on('data', (req: WireWatchRequest) => session.handle(req))
    call.on('end', () => {
      stop()
      call.end()
    })
    call.on('cancelled', stop)
    call.on('error', stop)
    call.on('close', stop)
  }
  return { Watch }
}

/** Approximate wire size of a watch response: its keys and values plus some framing. */
function responseBytes(resp: Record<string, unknown>): number {
  let n = 64
  for (const e of (resp.events as WireEvent[] | undefined) ?? []) {
    n += 32 + e.kv.key.length + e.kv.value.length
    if (e.prev_kv) n += e.prev_kv.key.length + e.prev_kv.value.length
  }
  return n
}
