// HTTPS front with client-certificate identities. Bun.serve verifies client certificates but cannot
// expose them to handlers, so a node:tls server terminates TLS, reads the peer certificate, and pipes
// the cleartext to an internal Bun.serve on a loopback port (keeping Bun's streaming responses and
// WebSocket upgrades). Each pipe's local port is recorded with the identity; the handler looks it up
// through server.requestIP(req). A connection whose port is not recorded (anyone dialling the internal
// port directly) is anonymous, never someone else.
import net from 'node:net'
import tls from 'node:tls'
import type { Server, WebSocketHandler } from 'bun'
import { logger } from '../../shared/log.ts'
import type { PeerIdentity } from '../auth/types.ts'
import { peerIdentity } from './peer-identity.ts'
import type { Pki } from './pki.ts'

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

const ANONYMOUS: PeerIdentity = Object.freeze({})

export async function startTlsFront<WsData = unknown>(opts: TlsFrontOptions<WsData>): Promise<TlsFront> {
  const identities = new Map<number, PeerIdentity>()
  const sockets = new Set<net.Socket>()

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

  const front = tls.createServer(
    {
      key: opts.pki.serving.keyPem,
      cert: opts.pki.serving.certPem,
      ca: opts.pki.clientCa.certPem,
      requestCert: true,
      // Verified by us (socket.authorized) so that clients without a certificate still get in.
      rejectUnauthorized: false,
      // HTTP/1.1 only: the backend speaks it, and exec/attach WebSockets need it.
      ALPNProtocols: ['http/1.1'],
    },
    (sock) => {
      sock.setNoDelay(true)
      sock.setKeepAlive(true, 30_000)
      const cert = sock.getPeerCertificate()
      const identity = peerIdentity(
        { authorized: sock.authorized, authorizationError: sock.authorizationError, subject: cert?.subject as any },
        sock.remoteAddress,
      )
      const up = net.connect({ host: '127.0.0.1', port: backend.port!, noDelay: true })
      sockets.add(sock)
      let port = 0
      const forget = () => {
        // Before the port can be reused by anyone else: on the first sign of closing from either side.
        if (port) identities.delete(port)
        port = 0
      }
      up.once('connect', () => {
        port = up.localPort!
        identities.set(port, identity)
        sock.pipe(up)
        up.pipe(sock)
      })
      up.on('end', forget)
      up.on('close', () => {
        forget()
        sock.destroy()
      })
      sock.on('close', () => {
        forget()
        sockets.delete(sock)
        up.destroy()
      })
      up.on('error', (e) => log.debug('backend pipe error', { error: e }))
      sock.on('error', (e) => log.debug('client connection error', { error: e }))
    },
  )
  front.on('tlsClientError', (e) => log.debug('TLS handshake failed', { error: e }))

  await new Promise<void>((resolve, reject) => {
    front.once('error', reject)
    front.listen(opts.port, opts.host, () => {
      front.off('error', reject)
      resolve()
    })
  })
  const addr = front.address() as net.AddressInfo
  log.info('listening', { address: `${opts.host}:${addr.port}` })

  return {
    host: opts.host,
    port: addr.port,
    async stop() {
      const closed = new Promise<void>((r) => front.close(() => r()))
      for (const s of sockets) s.destroy()
      await Promise.all([closed, backend.stop(true)])
    },
  }
}
