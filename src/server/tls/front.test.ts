import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PeerIdentity } from '../auth/types.ts'
import { type CertKeyPem, createCa, issueLeaf } from './certs.ts'
import { startTlsFront, type TlsFront } from './front.ts'
import { ensurePki, issueClientCert, type Pki } from './pki.ts'

const BIG = 24 * 1024 * 1024
let dir: string
let pki: Pki
let front: TlsFront
let release: () => void = () => {}
let aborted: Promise<void> = Promise.resolve()

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubun-front-'))
  pki = await ensurePki({ dataDir: dir, sans: [], ips: [] })
  front = await startTlsFront<{ proto: string | null }>({
    host: '127.0.0.1',
    port: 0,
    pki,
    backend: {
      fetch(req, identity, server) {
        const url = new URL(req.url)
        if (url.pathname === '/whoami') return Response.json(identity)
        if (url.pathname === '/stream') {
          // The second chunk waits for the test to say it saw the first: only streaming passes.
          const gate = new Promise<void>((r) => (release = r))
          const body = new ReadableStream({
            async start(c) {
              c.enqueue(new TextEncoder().encode('first\n'))
              await gate
              c.enqueue(new TextEncoder().encode('second\n'))
              c.close()
            },
          })
          return new Response(body)
        }
        if (url.pathname === '/big') return new Response(new Uint8Array(BIG).fill(120))
        if (url.pathname === '/upload') return req.arrayBuffer().then((b) => Response.json({ bytes: b.byteLength }))
        if (url.pathname === '/watch') {
          // A watch that never ends on its own: the client going away must reach the handler.
          aborted = new Promise<void>((r) => req.signal.addEventListener('abort', () => r()))
          return new Response(
            new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"type":"ADDED"}\n')) }),
          )
        }
        if (url.pathname === '/exec') {
          const proto = req.headers.get('sec-websocket-protocol')?.split(',')[0].trim() ?? null
          const ok = server.upgrade(req, {
            data: { proto, user: identity.user?.name },
            headers: proto ? { 'Sec-WebSocket-Protocol': proto } : {},
          } as any)
          return ok ? undefined : new Response('upgrade failed', { status: 400 })
        }
        return new Response('not found', { status: 404 })
      },
      websocket: {
        message(ws, msg) {
          ws.send(`${(ws.data as any).user ?? 'anonymous'}:${msg}`)
        },
      },
    },
  })
})

afterAll(async () => {
  await front?.stop()
  await rm(dir, { recursive: true, force: true })
})

const url = (path: string) => `https://127.0.0.1:${front.port}${path}`
const get = (path: string, client?: CertKeyPem) =>
  fetch(url(path), {
    tls: { ca: pki.serverCa.certPem, ...(client ? { cert: client.certPem, key: client.keyPem } : {}) },
  })

describe('startTlsFront', () => {
  test('the admin certificate is system:admin in system:masters', async () => {
    const id = (await (await get('/whoami', pki.admin)).json()) as PeerIdentity
    expect(id.user).toEqual({ name: 'system:admin', groups: ['system:masters'] })
    expect(id.remoteAddress).toBe('127.0.0.1')
  })

  test('every O of a client certificate becomes a group', async () => {
    const alice = await issueClientCert(pki, { cn: 'alice', orgs: ['dev', 'ops'] })
    const id = (await (await get('/whoami', alice)).json()) as PeerIdentity
    expect(id.user).toEqual({ name: 'alice', groups: ['dev', 'ops'] })
  })

  test('no certificate is anonymous', async () => {
    const id = (await (await get('/whoami')).json()) as PeerIdentity
    expect(id.user).toBeUndefined()
    expect(id.rejected).toBeUndefined()
  })

  test('a certificate from another CA is rejected, not trusted', async () => {
    const otherCa = await createCa('impostor-ca', 10)
    const forged = await issueLeaf(otherCa, { cn: 'mallory', orgs: ['system:masters'], days: 10 })
    const id = (await (await get('/whoami', forged)).json()) as PeerIdentity
    expect(id.user).toBeUndefined()
    expect(id.rejected).toBeString()
  })

  test('the server certificate verifies against the server CA for 127.0.0.1', async () => {
    // fetch fails the handshake if the SAN or chain were wrong
    expect((await get('/nope')).status).toBe(404)
  })

  test('a chunked response streams: the first chunk arrives before the response ends', async () => {
    const res = await get('/stream', pki.admin)
    const reader = res.body!.getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    expect(first).toBe('first\n')
    release()
    let rest = ''
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value)
    expect(rest).toBe('second\n')
  })

  test('a client hanging up a watch aborts the request in the handler', async () => {
    const ctl = new AbortController()
    const res = await fetch(url('/watch'), { signal: ctl.signal, tls: { ca: pki.serverCa.certPem } })
    const reader = res.body!.getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('ADDED')
    ctl.abort()
    await aborted // resolves only if the handler saw the abort; otherwise the test times out
  }, 5000)

  test('a plain-HTTP client on the TLS port is turned away without harming the server', async () => {
    const res = await fetch(`http://127.0.0.1:${front.port}/whoami`).catch((e) => e)
    expect(res instanceof Response && res.ok).toBe(false)
    expect((await get('/whoami', pki.admin)).status).toBe(200)
  })

  test('large bodies cross the relay both ways intact (backpressure)', async () => {
    const up = await fetch(url('/upload'), {
      method: 'POST',
      body: new Uint8Array(BIG).fill(7),
      tls: { ca: pki.serverCa.certPem },
    })
    expect(await up.json()).toEqual({ bytes: BIG })
    // A slow reader: the relay must pause the backend rather than drop or reorder bytes.
    const res = await fetch(url('/big'), { tls: { ca: pki.serverCa.certPem } })
    const reader = res.body!.getReader()
    let total = 0
    let allX = true
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      total += r.value.byteLength
      allX &&= (r.value as Uint8Array).every((b: number) => b === 120)
      if (total < 1_000_000) await Bun.sleep(1)
    }
    expect(total).toBe(BIG)
    expect(allX).toBe(true)
  })

  test('a client that half-closes after its request still gets the whole response', async () => {
    const tls = await import('node:tls')
    const text = await new Promise<string>((resolve, reject) => {
      let out = ''
      const s = tls.connect(
        { host: '127.0.0.1', port: front.port, ca: pki.serverCa.certPem, servername: 'localhost' },
        () => {
          s.end('GET /whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')
        },
      )
      s.on('data', (d) => (out += d))
      s.on('end', () => resolve(out))
      s.on('error', reject)
    })
    expect(text.slice(0, 40)).toStartWith('HTTP/1.1 200')
    expect(text).toContain('"remoteAddress":"127.0.0.1"')
  })

  test('a WebSocket upgrade with a subprotocol works through the front, with the identity', async () => {
    const ws = new WebSocket(`wss://127.0.0.1:${front.port}/exec`, {
      protocols: ['v5.channel.k8s.io', 'v4.channel.k8s.io'],
      tls: { ca: pki.serverCa.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem },
    } as any)
    const opened = new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve()
      ws.onerror = (e) => reject(e)
    })
    await opened
    expect(ws.protocol).toBe('v5.channel.k8s.io')
    const reply = new Promise<string>((r) => (ws.onmessage = (e) => r(String(e.data))))
    ws.send('hello')
    expect(await reply).toBe('system:admin:hello')
    ws.close()
  })

  test('a port already in use fails with a message saying so', async () => {
    const second = startTlsFront({ host: '127.0.0.1', port: front.port, pki, backend: { fetch: () => new Response() } })
    await expect(second).rejects.toThrow(`cannot listen on 127.0.0.1:${front.port}`)
  })

  test('concurrent connections keep their own identities', async () => {
    const [a, b] = await Promise.all([get('/whoami', pki.admin), get('/whoami')])
    expect(((await a.json()) as PeerIdentity).user?.name).toBe('system:admin')
    expect(((await b.json()) as PeerIdentity).user).toBeUndefined()
  })
})
