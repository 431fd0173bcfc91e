// HTTPS front with client-certificate identities. Bun.serve verifies client certificates but cannot
// expose them to handlers, so a Bun.listen TLS listener terminates TLS, reads the peer certificate, and
// relays the cleartext to an internal Bun.serve on a loopback port (keeping Bun's streaming responses
// and WebSocket upgrades). Each relay's local port is recorded with the identity; the handler looks it
// up through server.requestIP(req). A connection whose port is not recorded (anyone dialling the
// internal port directly) is anonymous, never someone else.
import type { Server, Socket, WebSocketHandler } from 'bun'
import { logger } from '../../shared/log.ts'
import type { PeerIdentity } from '../auth/types.ts'
import { peerIdentity } from './peer-identity.ts'
import type { Pki } from './pki.ts'
import { createRelay, type Relay } from './socket-relay.ts'

const log = logger('tls-front')

export interface TlsBackend<WsData = unknown> {
  /** As Bun.serve's fetch, plus who the client is. Return undefined after server.upgrade(). */
  fetch(
    req: Request,
    identity: PeerIdentity,
    server: Server<WsData>,
  ): Response | undefined | Promise<Response | undefined>
  websocket?: WebSocketHandler<WsData>
  /** seconds; 0 (default) disables Bun's idle timeout so quiet watches stay open */
  idleTimeout?: number
  maxRequestBodySize?: number
}

export interface TlsFrontOptions<WsData = unknown> {
  host: string
  port: number
  pki: Pick<Pki, 'serving' | 'clientCa'>
  backend: TlsBackend<WsData>
}

export interface TlsFront {
  host: string
  port: number
  stop(): Promise<void>
}

interface Conn {
  relay?: Relay
  /** the backend connection's local port while its identity is recorded */
  port: number
}

const ANONYMOUS: PeerIdentity = Object.freeze({})

export async function startTlsFront<WsData = unknown>(opts: TlsFrontOptions<WsData>): Promise<TlsFront> {
  const identities = new Map<number, PeerIdentity>()
  const forget = (c: Conn) => {
    // On the first sign of closing, before the port can be reused by anyone else.
    if (c.port) identities.delete(c.port)
    c.port = 0
  }

  const backend: Server<WsData> = Bun.serve<WsData>({
    hostname: '127.0.0.1',
    port: 0,
    idleTimeout: opts.backend.idleTimeout ?? 0,
    ...(opts.backend.maxRequestBodySize ? { maxRequestBodySize: opts.backend.maxRequestBodySize } : {}),
    fetch(req: Request, server: Server<WsData>) {
      const ip = server.requestIP(req)
      const identity = (ip && identities.get(ip.port)) || ANONYMOUS
      return opts.backend.fetch(req, identity, server)
    },
    ...(opts.backend.websocket ? { websocket: opts.backend.websocket } : {}),
  } as any)

  function connectBackend(client: Socket<Conn>, relay: Relay, identity: PeerIdentity) {
    const conn = client.data
    Bun.connect<Conn>({
      hostname: '127.0.0.1',
      port: backend.port!,
      data: conn,
      allowHalfOpen: true,
      socket: {
        open(up) {
          up.setNoDelay(true)
          conn.port = up.localPort
          identities.set(conn.port, identity)
          relay.attachB(up)
        },
        data: (_, chunk) => relay.fromB(chunk),
        drain: () => relay.drainB(),
        end() {
          forget(conn)
          relay.endB()
        },
        close() {
          forget(conn)
          relay.closeB()
        },
        error: (_, e) => log.debug('backend relay error', { error: e }),
        connectError(_, e) {
          log.warn('cannot reach the internal API listener', { error: e })
          relay.closeB()
        },
      },
    }).catch(() => relay.closeB())
  }

  let listener: ReturnType<typeof listen>
  try {
    listener = listen()
  } catch (e) {
    await backend.stop(true)
    throw new Error(
      `cannot listen on ${opts.host}:${opts.port} (${(e as Error).message}): is another process using the port, or is the address not on this host?`,
    )
  }
  log.info('listening', { address: `${opts.host}:${listener.port}` })

  return {
    host: opts.host,
    port: listener.port,
    async stop() {
      listener.stop(true)
      await backend.stop(true)
    },
  }

  function listen() {
    return Bun.listen<Conn>({
      hostname: opts.host,
      port: opts.port,
      tls: {
        key: opts.pki.serving.keyPem,
        cert: opts.pki.serving.certPem,
        ca: opts.pki.clientCa.certPem,
        requestCert: true,
        // Verified by us (socket.authorized) so that clients without a certificate still get in.
        rejectUnauthorized: false,
      },
      data: { port: 0 },
      // A client may send its request and a FIN, then wait for the answer: pass the FIN on, keep relaying.
      allowHalfOpen: true,
      socket: {
        open(s) {
          s.data = { port: 0 }
        },
        handshake(s, _success, authorizationError) {
          s.setNoDelay(true)
          s.setKeepAlive(true, 30)
          const cert = s.getPeerCertificate()
          const identity = peerIdentity(
            {
              authorized: s.authorized,
              authorizationError: (authorizationError as any)?.code ?? authorizationError?.message,
              subject: (cert as any)?.subject,
            },
            s.remoteAddress,
          )
          const relay = createRelay(s)
          s.data.relay = relay
          connectBackend(s, relay, identity)
        },
        data: (s, chunk) => s.data.relay?.fromA(chunk),
        drain: (s) => s.data.relay?.drainA(),
        end: (s) => s.data.relay?.endA(),
        close(s) {
          forget(s.data)
          s.data.relay?.closeA()
        },
        error: (_, e) => log.debug('client connection error', { error: e }),
      },
    })
  }
}
