// Joins a remotecommand WebSocket (v5/v4 channel protocol) to a process in a container: client stdin and
// resize frames go to the process, its output goes out on channels 1/2, and its end is reported on the
// status channel before a normal close. Failures to start are reported the same way, so kubectl prints
// the message instead of a bare protocol error.
import { logger } from '../../shared/log.ts'
import { decodeClientFrame, encodeFrame, errorStatus, exitStatus, STDIN, statusFrame } from './channel-frames.ts'
import { type ProcessIO, StreamingError } from './runtime.ts'

const log = logger('remotecommand')

export interface ChannelSocket {
  send(data: Uint8Array): unknown
  close(code?: number, reason?: string): void
}

export interface ProcessBridge {
  message(msg: Uint8Array): void
  closed(): void
}

export function bridgeProcess(ws: ChannelSocket, start: () => Promise<ProcessIO>): ProcessBridge {
  let io: ProcessIO | undefined
  let gone = false
  const early: Uint8Array[] = []

  const handle = (msg: Uint8Array) => {
    const f = decodeClientFrame(msg)
    if (!io) return
    if (f.kind === 'stdin') io.writeStdin(f.data)
    else if (f.kind === 'close' && f.channel === STDIN) io.closeStdin()
    else if (f.kind === 'resize' && f.width > 0 && f.height > 0)
      io.resize(f.width, f.height).catch((e) => log.debug('resize failed', { error: e }))
  }

  const finish = (status: Record<string, unknown>) => {
    if (gone) return
    ws.send(statusFrame(status))
    ws.close(1000)
  }

  start().then(
    (p) => {
      io = p
      if (gone) return p.detach()
      p.onOutput((ch, d) => {
        if (!gone) ws.send(encodeFrame(ch, d))
      })
      for (const m of early.splice(0)) handle(m)
      p.exit.then(
        (code) => finish(exitStatus(code)),
        (e) => finish(errorStatus((e as Error).message)),
      )
    },
    (e) => {
      const code = e instanceof StreamingError ? e.code : 500
      finish(
        errorStatus(
          (e as Error).message,
          code === 404 ? 'NotFound' : code === 400 ? 'BadRequest' : 'InternalError',
          code,
        ),
      )
    },
  )

  return {
    message(msg) {
      if (io) handle(msg)
      else early.push(new Uint8Array(msg))
    },
    closed() {
      gone = true
      io?.detach()
    },
  }
}
