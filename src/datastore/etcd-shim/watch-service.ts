// etcdserverpb.Watch: the grpc-js adapter around WatchSession.
import type * as grpc from '@grpc/grpc-js'
import type { Backend } from '../backend.ts'
import type { OpenStreams } from './open-streams.ts'
import { WatchSession, type WireWatchRequest } from './watch-session.ts'

export function watchService(store: Backend, streams: OpenStreams) {
  const Watch: grpc.handleBidiStreamingCall<WireWatchRequest, unknown> = (call) => {
    let open = true
    const session = new WatchSession(store, (resp) => {
      if (open) call.write(resp)
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
