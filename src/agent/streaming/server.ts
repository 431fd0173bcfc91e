// The kubelet API the API server streams through (upstream pkg/kubelet/server): HTTPS on :10250 with
// the node's serving certificate (signed by the server CA), open only to clients presenting a
// certificate from the cluster client CA for kube-apiserver-kubelet-client or a system:masters member.
//   GET  /healthz
//   GET  /containerLogs/<ns>/<pod>/<container>?follow&tailLines&sinceSeconds&sinceTime&timestamps&previous&limitBytes
//   GET|POST /exec/<ns>/<pod>/<container>?command=..&stdin&stdout&stderr&tty   (WebSocket, v5/v4.channel.k8s.io)
//   GET|POST /attach/<ns>/<pod>/<container>?stdin&stdout&stderr&tty          (WebSocket, same protocol)
//   GET|POST /portForward/<ns>/<pod>   (WebSocket `SPDY/3.1+portforward.k8s.io`, or the API server's hop name
//                                       for it: SPDY/3.1 frames in binary messages)
import type { Server, ServerWebSocket } from 'bun'
import { PORT_FORWARD_HOP_PROTOCOL, PORT_FORWARD_PROTOCOL } from '../../server/api/http/pod-proxy-target.ts'
import type { PeerIdentity } from '../../server/auth/types.ts'
import { SYSTEM_MASTERS } from '../../server/auth/users.ts'
import { startTlsFront, type TlsFront } from '../../server/tls/front.ts'
import { logger } from '../../shared/log.ts'
import { offeredProtocols, pickProtocol } from './channel-frames.ts'
import { LogOptionsError, limitBytes, parseLogOptions } from './log-options.ts'
import { portForwardHandler } from './port-forward.ts'
import { bridgeProcess, type ProcessBridge } from './process-bridge.ts'
import { type ContainerRef, StreamingError, type StreamingRuntime } from './runtime.ts'
import { SpdyServerSession } from './spdy-session.ts'

const log = logger('kubelet-api')
export const KUBELET_CLIENT_CN = 'kube-apiserver-kubelet-client'

export interface KubeletServerOptions {
  host?: string
  /** default 10250; 0 picks a free port */
  port?: number
  /** the node's serving certificate and key (server CA) */
  serving: { certPem: string; keyPem: string }
  /** the cluster client CA: only certificates it signed get in */
  clientCaPem: string
  runtime: StreamingRuntime
}

type Session =
  | { kind: 'process'; start: () => Promise<import('./runtime.ts').ProcessIO>; bridge?: ProcessBridge }
  | { kind: 'portforward'; ns: string; pod: string; spdy?: SpdyServerSession }

/** As upstream's kubelet authorizer for the API server: its client certificate, or a cluster admin. */
export function mayStream(id: PeerIdentity): boolean {
  const u = id.user
  return !!u && (u.name === KUBELET_CLIENT_CN || u.groups.includes(SYSTEM_MASTERS))
}

const text = (status: number, body: string) =>
  new Response(`${body}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } })

export async function startKubeletServer(o: KubeletServerOptions): Promise<TlsFront> {
  const rt = o.runtime
  return startTlsFront<Session>({
    host: o.host ?? '0.0.0.0',
    port: o.port ?? 10250,
    pki: { serving: o.serving, clientCa: { certPem: o.clientCaPem, keyPem: '' } },
    backend: {
      fetch: (req, id, server) => route(req, id, server).catch((e) => errorText(e)),
      websocket: {
        // Bun drops messages past 16 MiB of unsent data by default; never lose output (see pod-proxy.ts).
        backpressureLimit: 1 << 30,
        open(ws: ServerWebSocket<Session>) {
          const s = ws.data
          const sock = { send: (b: Uint8Array) => ws.sendBinary(b), close: (c?: number) => ws.close(c) }
          if (s.kind === 'process') s.bridge = bridgeProcess(sock, s.start)
          else {
            const session = new SpdyServerSession(sock, portForwardHandler(rt, s.ns, s.pod))
            s.spdy = session
          }
        },
        message(ws: ServerWebSocket<Session>, msg: string | Buffer) {
          const b = typeof msg === 'string' ? new TextEncoder().encode(msg) : new Uint8Array(msg)
          const s = ws.data
          if (s.kind === 'process') s.bridge?.message(b)
          else s.spdy?.receive(b)
        },
        close(ws: ServerWebSocket<Session>) {
          const s = ws.data
          if (s.kind === 'process') s.bridge?.closed()
          else s.spdy?.close()
        },
      },
    },
  })

  async function route(req: Request, id: PeerIdentity, server: Server<Session>): Promise<Response | undefined> {
    const url = new URL(req.url)
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
    if (url.pathname === '/healthz') return text(200, 'ok')
    if (!id.user) return text(401, 'Unauthorized: a client certificate from the cluster client CA is required')
    if (!mayStream(id)) return text(403, `Forbidden: user ${id.user.name} may not use the kubelet API`)
    const [what, ns, pod, container] = parts
    if (what === 'containerLogs' && parts.length === 4 && req.method === 'GET') return logs(url, ns, pod, container)
    const upgrade = req.headers.get('upgrade')?.toLowerCase() === 'websocket'
    if ((what === 'exec' || what === 'attach') && parts.length === 4) {
      if (!upgrade) return text(400, 'Upgrade request required: use a WebSocket (v5.channel.k8s.io)')
      const protocol = pickProtocol(offeredProtocols(req.headers.get('sec-websocket-protocol')))
      if (!protocol) return text(400, 'no supported subprotocol: use v5.channel.k8s.io or v4.channel.k8s.io')
      const q = url.searchParams
      const flags = { tty: q.get('tty') === 'true' || q.get('tty') === '1', stdin: isSet(q.get('stdin')) }
      const command = q.getAll('command')
      if (what === 'exec' && command.length === 0)
        return text(400, 'you must specify at least one command for the container')
      const start = async () => {
        const c = await running(ns, pod, container)
        return what === 'exec' ? rt.exec(c, command, flags) : rt.attach(c, flags)
      }
      return upgraded(
        server.upgrade(req, { data: { kind: 'process', start }, headers: { 'Sec-WebSocket-Protocol': protocol } }),
      )
    }
    if (what === 'portForward' && parts.length === 3) {
      if (!upgrade) return text(400, `Upgrade request required: use a WebSocket (${PORT_FORWARD_PROTOCOL})`)
      // The API server offers the hop name (kubectl's has a `/` WebSocket clients refuse); a direct
      // client may offer kubectl's own.
      const protocol = pickProtocol(offeredProtocols(req.headers.get('sec-websocket-protocol')), [
        PORT_FORWARD_HOP_PROTOCOL,
        PORT_FORWARD_PROTOCOL,
      ])
      if (!protocol) return text(400, `no supported subprotocol: use ${PORT_FORWARD_PROTOCOL}`)
      return upgraded(
        server.upgrade(req, {
          data: { kind: 'portforward', ns, pod },
          headers: { 'Sec-WebSocket-Protocol': protocol },
        }),
      )
    }
    return text(404, `404 page not found: ${url.pathname}`)
  }

  async function running(ns: string, pod: string, container: string): Promise<ContainerRef> {
    const c = await rt.findContainer(ns, pod, container)
    if (!c) throw new StreamingError(`container ${container} not found in pod ${ns}/${pod}`, 404)
    if (!c.running) throw new StreamingError(`container ${container} in pod ${ns}/${pod} is not running`, 400)
    return c
  }

  async function logs(url: URL, ns: string, pod: string, container: string): Promise<Response> {
    const opts = parseLogOptions(url.searchParams)
    const c = await rt.findContainer(ns, pod, container, opts.previous)
    if (!c) {
      const what = opts.previous ? 'previous terminated container' : 'container'
      return text(404, `${what} "${container}" in pod "${pod}" not found`)
    }
    const body = limitBytes(await rt.logs(c, opts), opts.limitBytes)
    return new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } })
  }
}

const isSet = (v: string | null) => v === 'true' || v === '1'

function upgraded(ok: boolean): Response | undefined {
  return ok ? undefined : text(400, 'WebSocket upgrade failed')
}

function errorText(e: unknown): Response {
  if (e instanceof LogOptionsError) return text(400, e.message)
  if (e instanceof StreamingError) return text(e.code, e.message)
  log.warn('kubelet API request failed', { error: e })
  return text(500, (e as Error).message)
}
