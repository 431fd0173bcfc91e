// The kubelet API over TLS with a fake runtime: who may call it, logs, and exec over the v5 channel
// protocol (TTY resize, stdin EOF, exit code) as the API server relays kubectl's frames.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createCa, issueLeaf } from '../../server/tls/certs.ts'
import type { TlsFront } from '../../server/tls/front.ts'
import { encodeFrame } from './channel-frames.ts'
import type { ProcessIO, StreamingRuntime } from './runtime.ts'
import { startKubeletServer } from './server.ts'

const dec = new TextDecoder()

function fakeRuntime() {
  const seen = { resize: [] as string[], stdin: '', cmd: [] as string[], tty: false }
  const runtime: StreamingRuntime = {
    async findContainer(_ns, pod, container) {
      if (pod !== 'web' || container !== 'app') return undefined
      return { id: 'c1', running: true, tty: false }
    },
    async logs(_c, o) {
      return new Response(`one\ntwo\n${o.tailLines ?? ''}`).body!
    },
    async exec(_c, cmd, o) {
      seen.cmd = cmd
      seen.tty = o.tty
      let out: (ch: 1 | 2, d: Uint8Array) => void = () => {}
      let finish!: (code: number) => void
      const io: ProcessIO = {
        onOutput: (f) => {
          out = f
          f(1, new TextEncoder().encode('ready\n'))
        },
        writeStdin: (d) => {
          seen.stdin += dec.decode(d)
        },
        closeStdin: () => {
          out(2, new TextEncoder().encode('bye\n'))
          finish(2)
        },
        resize: async (w, h) => {
          seen.resize.push(`${w}x${h}`)
        },
        exit: new Promise((r) => (finish = r)),
        detach() {},
      }
      return io
    },
    async attach() {
      throw new Error('not used')
    },
    async portForward() {
      throw new Error('not used')
    },
  }
  return { runtime, seen }
}

describe('kubelet API server', () => {
  let api: TlsFront
  let tls: Record<string, string>
  let nodeTls: Record<string, string>
  const fake = fakeRuntime()
  beforeAll(async () => {
    const serverCa = await createCa('server-ca', 1)
    const clientCa = await createCa('client-ca', 1)
    const serving = await issueLeaf(serverCa, { cn: 'node', days: 1, server: { dns: [], ips: ['127.0.0.1'] } })
    const apiServer = await issueLeaf(clientCa, {
      cn: 'kube-apiserver-kubelet-client',
      orgs: ['system:masters'],
      days: 1,
    })
    const node = await issueLeaf(clientCa, { cn: 'system:node:other', orgs: ['system:nodes'], days: 1 })
    tls = { cert: apiServer.certPem, key: apiServer.keyPem, ca: serverCa.certPem }
    nodeTls = { cert: node.certPem, key: node.keyPem, ca: serverCa.certPem }
    api = await startKubeletServer({
      host: '127.0.0.1',
      port: 0,
      serving,
      clientCaPem: clientCa.certPem,
      runtime: fake.runtime,
    })
  })
  afterAll(() => api?.stop())

  /** `null`: no client certificate (the serving certificate is still verified) */
  const get = (path: string, t: Record<string, string> | null = tls) =>
    fetch(`https://127.0.0.1:${api.port}${path}`, { tls: t ?? { ca: tls.ca } } as RequestInit)

  test.each([
    ['no client certificate', 'none', 401],
    ['another node', 'node', 403],
    ['the API server', 'api', 200],
  ])('logs for %s: %p', async (_, who, status) => {
    const res = await get('/containerLogs/default/web/app', who === 'api' ? tls : who === 'node' ? nodeTls : null)
    expect(res.status).toBe(status)
    if (status === 200) expect(await res.text()).toBe('one\ntwo\n')
  })

  test('logs: limitBytes, unknown container, bad options', async () => {
    expect(await (await get('/containerLogs/default/web/app?limitBytes=5')).text()).toBe('one\nt')
    const missing = await get('/containerLogs/default/web/nope')
    expect([missing.status, await missing.text()]).toEqual([404, 'container "nope" in pod "web" not found\n'])
    expect((await get('/containerLogs/default/web/app?tailLines=-2')).status).toBe(400)
  })

  test('exec over v5.channel.k8s.io: TTY resize, stdin and its EOF, exit code on the status channel', async () => {
    const q = 'command=sh&command=-c&command=read x&stdin=true&stdout=true&tty=true'
    const ws = new WebSocket(`wss://127.0.0.1:${api.port}/exec/default/web/app?${q}`, {
      protocols: ['v5.channel.k8s.io', 'v4.channel.k8s.io'],
      tls,
    } as any)
    ws.binaryType = 'arraybuffer'
    const frames: string[] = []
    const closed = new Promise<number>((r) => (ws.onclose = (e) => r(e.code)))
    ws.onmessage = (e) => {
      const b = new Uint8Array(e.data as ArrayBuffer)
      frames.push(`${b[0]}:${dec.decode(b.subarray(1))}`)
    }
    await new Promise((r) => (ws.onopen = r))
    expect(ws.protocol).toBe('v5.channel.k8s.io')
    ws.send(encodeFrame(4, '{"Width":120,"Height":40}'))
    ws.send(encodeFrame(0, 'input\n'))
    ws.send(new Uint8Array([255, 0]))
    expect(await closed).toBe(1000)
    expect(fake.seen).toEqual({ cmd: ['sh', '-c', 'read x'], tty: true, stdin: 'input\n', resize: ['120x40'] })
    expect(frames.slice(0, 2)).toEqual(['1:ready\n', '2:bye\n'])
    const status = JSON.parse(frames[2].slice(2))
    expect(status).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode' })
    expect(status.details.causes).toEqual([{ reason: 'ExitCode', message: '2' }])
  })

  test('exec in a missing container: the reason comes on the status channel', async () => {
    const ws = new WebSocket(`wss://127.0.0.1:${api.port}/exec/default/web/nope?command=true&stdout=true`, {
      protocols: ['v5.channel.k8s.io'],
      tls,
    } as any)
    ws.binaryType = 'arraybuffer'
    const msg = await new Promise<Uint8Array>((r) => (ws.onmessage = (e) => r(new Uint8Array(e.data as ArrayBuffer))))
    expect(msg[0]).toBe(3)
    expect(JSON.parse(dec.decode(msg.subarray(1))).message).toBe('container nope not found in pod default/web')
    ws.close()
  })

  test('exec without a WebSocket upgrade is refused with a hint', async () => {
    const res = await get('/exec/default/web/app?command=true')
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('WebSocket')
  })
})
