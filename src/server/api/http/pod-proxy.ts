// pods/log, pods/exec, pods/attach and pods/portforward: the API server streams to the kubelet of the
// pod's node (any node: the address comes from the Node object), as kube-apiserver's pod REST storage
// does. It authenticates with its kubelet-client certificate and verifies the kubelet's serving
// certificate against the server CA. Logs are plain HTTP streamed through; the others are WebSockets
// relayed message by message, so the kubelet speaks the very protocol kubectl offered (v5/v4 channels,
// or SPDY/3.1 frames in binary messages for port-forward) and the API server parses neither.
//
//   const pods = podStreaming({ getNode, kubeletClient, serverCaPem })
//   createApiServer({ ..., subresources: { ...pods.handlers } }); startTlsFront({ backend: { fetch, websocket: pods.websocket } })
import type { Server, ServerWebSocket, WebSocketHandler } from 'bun'
import { ApiError, badRequest } from '../../../shared/errors.ts'
import { logger } from '../../../shared/log.ts'
import type { KubeObject } from '../../registry/types.ts'
import {
  checkStreamable,
  fromHop,
  kubeletBase,
  kubeletPath,
  type PodStream,
  resolveContainer,
  toHop,
} from './pod-proxy-target.ts'
import type { SubresourceCall, SubresourceHandler } from './types.ts'

const log = logger('pod-proxy')
const DIAL_TIMEOUT_MS = 10_000

export interface PodStreamingOptions {
  getNode(name: string): KubeObject | undefined | Promise<KubeObject | undefined>
  /** CN=kube-apiserver-kubelet-client, O=system:masters, signed by the client CA */
  kubeletClient: { certPem: string; keyPem: string }
  /** verifies the kubelets' serving certificates */
  serverCaPem: string
}

/** One relayed WebSocket: kubectl's side is `ws`, the kubelet's is `upstream`. */
export interface PodStreamSocket {
  podStream: true
  upstream: WebSocket
  /** kubelet messages that came before kubectl's socket opened */
  early: (ArrayBuffer | string)[]
}

export function podStreaming(o: PodStreamingOptions) {
  const tls = { cert: o.kubeletClient.certPem, key: o.kubeletClient.keyPem, ca: o.serverCaPem }

  async function target(call: SubresourceCall, kind: PodStream) {
    const url = new URL(call.req.url)
    const pod = await call.store.get(call.info.namespace, call.info.name!, call.ctx)
    const container = kind === 'portforward' ? '' : resolveContainer(pod, url.searchParams.get('container'))
    checkStreamable(pod, kind, container, url.searchParams.get('previous') === 'true')
    const nodeName = pod.spec.nodeName as string
    const node = await o.getNode(nodeName)
    if (!node)
      throw new ApiError(503, 'ServiceUnavailable', `node "${nodeName}" of pod ${call.info.name} is not registered`)
    const base = kubeletBase(node)
    return {
      base,
      nodeName,
      url: base + kubeletPath(kind, call.info.namespace!, call.info.name!, container, url.searchParams),
    }
  }

  const unreachable = (nodeName: string, base: string, e: unknown) =>
    new ApiError(
      503,
      'ServiceUnavailable',
      `error dialing backend: cannot reach the kubelet of node "${nodeName}" at ${base}: ${(e as Error).message ?? e}; is its agent running?`,
    )

  async function podLog(call: SubresourceCall): Promise<Response> {
    if (call.info.verb !== 'get') return Promise.reject(new ApiError(405, 'MethodNotAllowed', 'use GET for pods/log'))
    const t = await target(call, 'log')
    let res: Response
    try {
      res = await fetch(t.url, { tls, signal: call.req.signal } as RequestInit)
    } catch (e) {
      throw unreachable(t.nodeName, t.base, e)
    }
    if (!res.ok) {
      const text = (await res.text()).trim()
      throw new ApiError(
        res.status,
        res.status === 404 ? 'NotFound' : 'BadRequest',
        text || `kubelet answered ${res.status}`,
      )
    }
    return new Response(res.body, {
      headers: { 'content-type': 'text/plain', 'cache-control': 'no-cache, private' },
    })
  }

  function upgrade(kind: PodStream): SubresourceHandler {
    return async (call) => {
      const t = await target(call, kind)
      if (call.req.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
        // kubectl retries a failed WebSocket upgrade over SPDY and prints only the second error: make
        // it the real reason when the kubelet is down, the SPDY hint otherwise.
        await fetch(`${t.base}/healthz`, { tls } as RequestInit).catch((e) => {
          throw unreachable(t.nodeName, t.base, e)
        })
        throw badRequest(
          `pods/${kind} needs a WebSocket upgrade (kubectl 1.30+ sends one; SPDY upgrades are not supported: do not set KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false or KUBECTL_PORT_FORWARD_WEBSOCKETS=false)`,
        )
      }
      // Bearer tokens ride in a subprotocol for browsers; they are for us, never for the kubelet.
      const protocols = (call.req.headers.get('sec-websocket-protocol') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((p) => p && !p.startsWith('base64url.bearer.authorization.k8s.io.'))
        .map(toHop)
      const upstream = await dial(t.url.replace(/^https:/, 'wss:'), protocols).catch((e) => {
        throw unreachable(t.nodeName, t.base, e)
      })
      const data: PodStreamSocket = { podStream: true, upstream, early: [] }
      upstream.onmessage = (e) => data.early.push(e.data)
      const server = call.server as Server<PodStreamSocket>
      const headers = upstream.protocol ? { 'Sec-WebSocket-Protocol': fromHop(upstream.protocol) } : undefined
      if (!server?.upgrade(call.req, { data, headers })) {
        upstream.close()
        throw badRequest('WebSocket upgrade failed')
      }
      // Bun has taken the connection over; whatever is returned now is ignored.
      return new Response(null, { status: 101 })
    }
  }

  function dial(url: string, protocols: string[]): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { protocols, tls } as any)
      ws.binaryType = 'arraybuffer'
      const timer = setTimeout(() => {
        ws.close()
        reject(new Error('timed out'))
      }, DIAL_TIMEOUT_MS)
      ws.onopen = () => {
        clearTimeout(timer)
        resolve(ws)
      }
      ws.onerror = (e) => {
        clearTimeout(timer)
        reject(new Error((e as ErrorEvent).message || 'WebSocket connection refused or rejected'))
      }
    })
  }

  const websocket: WebSocketHandler<PodStreamSocket> = {
    // Past Bun's default 16 MiB of unsent data, send() DROPS messages (a corrupt `kubectl cp`); the
    // kubelet's messages cannot be paused here, so queue instead (memory over loss).
    backpressureLimit: 1 << 30,
    open(ws: ServerWebSocket<PodStreamSocket>) {
      const { upstream, early } = ws.data
      for (const m of early.splice(0)) ws.send(m)
      upstream.onmessage = (e) => ws.send(e.data)
      upstream.onclose = (e) => ws.close(sendableCode(e.code), e.reason)
      upstream.onerror = () => ws.close(1011)
      if (upstream.readyState >= WebSocket.CLOSING) ws.close(1000)
    },
    message(ws: ServerWebSocket<PodStreamSocket>, msg: string | Buffer) {
      if (ws.data.upstream.readyState === WebSocket.OPEN) ws.data.upstream.send(msg)
    },
    close(ws: ServerWebSocket<PodStreamSocket>, code: number) {
      const up = ws.data.upstream
      if (up.readyState < WebSocket.CLOSING) up.close(sendableCode(code))
    },
  }

  const handlers: Record<string, SubresourceHandler> = {
    'pods/log': podLog,
    'pods/exec': upgrade('exec'),
    'pods/attach': upgrade('attach'),
    'pods/portforward': upgrade('portforward'),
  }
  log.debug('pod streaming ready')
  return { handlers, websocket }
}

/** 1005/1006 describe a close, they cannot be sent in one. */
const sendableCode = (c: number) => (c === 1000 || (c >= 3000 && c <= 4999) ? c : c === 1011 ? 1011 : 1000)
