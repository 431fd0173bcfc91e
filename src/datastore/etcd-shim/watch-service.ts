// etcdserverpb.Watch: the grpc-js adapter around WatchSession.
import type * as grpc from '@grpc/grpc-js'
import type { Backend } from '../backend.ts'
import { WatchSession, type WireWatchRequest } from './watch-session.ts'

export function watchService(store: Backend, sessions: Set<WatchSession>) {
  const Watch: grpc.handleBidiStreamingCall<WireWatchRequest, unknown> = (call) => {
    let open = true
    const session = new WatchSession(store, (resp) => {
      if (open) call.write(resp)
    })
    sessions.add(session)
    const stop = () => {
      if (!open) return
      open = false
      session.close()
      sessions.delete(session)
    }
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
