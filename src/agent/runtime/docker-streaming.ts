// StreamingRuntime over Docker, for the kubelet API: containers found by their cri-dockerd labels,
// logs/exec/attach through DockerRuntime (dockerode; hijacked connections for stdin), Docker's 8-byte
// multiplexing undone unless the container or exec has a TTY, and port-forward as a TCP connection from
// the node to the pod IP (reachable over cni0; for a container on Docker's own bridge, its IP there).
import type { Duplex, Readable } from 'node:stream'
import type {
  ContainerRef,
  LogOptions,
  PortConnection,
  PortHandlers,
  ProcessIO,
  StreamingRuntime,
} from '../streaming/runtime.ts'
import { StreamingError } from '../streaming/runtime.ts'
import type { DockerRuntime } from './docker.ts'
import { DockerDemuxer } from './docker-stream-mux.ts'
import { CONTAINER_NAME_LABEL, NODE_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, TYPE_LABEL } from './labels.ts'
import type { RuntimeContainer } from './runtime.ts'

export interface DockerStreamingOptions {
  /** the pod IP the kubelet assigned (CNI); asked first */
  podIp?(namespace: string, pod: string): string | undefined
  /** skip containers labelled for another node (several nodes on one Docker daemon) */
  nodeName?: string
}

const u8 = (b: Buffer | Uint8Array) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)

export class DockerStreaming implements StreamingRuntime {
  constructor(
    private rt: DockerRuntime,
    private o: DockerStreamingOptions = {},
  ) {}

  private async podContainers(ns: string, pod: string): Promise<RuntimeContainer[]> {
    return (await this.rt.list())
      .filter((c) => c.labels[POD_NAMESPACE_LABEL] === ns && c.labels[POD_NAME_LABEL] === pod)
      .filter((c) => !this.o.nodeName || !c.labels[NODE_LABEL] || c.labels[NODE_LABEL] === this.o.nodeName)
      .sort((a, b) => b.createdAt - a.createdAt)
  }

  async findContainer(ns: string, pod: string, name: string, previous = false): Promise<ContainerRef | undefined> {
    const attempts = (await this.podContainers(ns, pod)).filter(
      (c) => c.labels[TYPE_LABEL] === 'container' && c.labels[CONTAINER_NAME_LABEL] === name,
    )
    // Newest first. `--previous` is upstream's lastState.terminated: the attempt the current one
    // replaced, or — while the kubelet waits out a CrashLoopBackOff and no new attempt exists yet —
    // the newest attempt itself, which has exited.
    const older = attempts[0]?.state === 'exited' ? attempts : attempts.slice(1)
    const c = previous ? older.find((a) => a.state === 'exited') : attempts[0]
    if (!c) return undefined
    const info = await this.rt.docker
      .getContainer(c.id)
      .inspect()
      .catch(() => undefined)
    if (!info) return undefined
    return { id: c.id, running: !!info.State.Running, tty: !!info.Config.Tty, stdinOpen: !!info.Config.OpenStdin }
  }

  async logs(c: ContainerRef, o: LogOptions): Promise<ReadableStream<Uint8Array>> {
    const src = await this.rt.logs(c.id, {
      follow: o.follow,
      tail: o.tailLines,
      since: o.since ? o.since.getTime() / 1000 : undefined,
      timestamps: o.timestamps,
    })
    return toWeb(src, c.tty)
  }

  async exec(c: ContainerRef, cmd: string[], o: { tty: boolean; stdin: boolean }): Promise<ProcessIO> {
    const s = await this.rt.execStream(c.id, cmd, o).catch((e) => {
      throw new StreamingError(`cannot exec in container ${c.id.slice(0, 12)}: ${dockerMessage(e)}`)
    })
    return processIO(s.stream, o.tty, s.exitCode, (w, h) => s.resize(w, h))
  }

  async attach(c: ContainerRef, o: { tty: boolean; stdin: boolean }): Promise<ProcessIO> {
    const container = this.rt.docker.getContainer(c.id)
    const stream = await this.rt.attach(c.id, { tty: c.tty, stdin: o.stdin && !!c.stdinOpen })
    const exit = async () => ((await container.wait()) as { StatusCode: number }).StatusCode
    return processIO(stream, c.tty, exit, async (w, h) => {
      await container.resize({ w, h }).catch(() => {})
    })
  }

  async portForward(ns: string, pod: string, port: number, h: PortHandlers): Promise<PortConnection> {
    const ip = this.o.podIp?.(ns, pod) ?? (await this.dockerIp(ns, pod))
    if (!ip) throw new StreamingError(`pod ${ns}/${pod} has no IP address on this node`, 404)
    let closed = false
    const done = (err?: Error) => {
      if (closed) return
      closed = true
      h.closed(err)
    }
    // Bun queues nothing: what write() does not take now is kept and retried on drain.
    const queue: Uint8Array[] = []
    let ending = false
    let sock: import('bun').Socket<undefined> | undefined
    const flush = () => {
      if (!sock) return
      while (queue.length) {
        const c = queue[0]
        const n = sock.write(c)
        if (n < c.byteLength) {
          queue[0] = c.subarray(Math.max(n, 0))
          return
        }
        queue.shift()
      }
      if (ending) sock.shutdown()
    }
    sock = await Bun.connect({
      hostname: ip,
      port,
      allowHalfOpen: true,
      socket: {
        data: (_s, d) => h.data(new Uint8Array(d)),
        drain: () => flush(),
        end: () => done(),
        close: () => done(),
        error: (_s, e) => done(e),
        connectError: (_s, e) => done(e),
      },
    }).catch((e: Error) => {
      throw new StreamingError(`dial tcp ${ip}:${port}: ${e.message}`)
    })
    const conn = sock
    return {
      write(d) {
        queue.push(new Uint8Array(d))
        flush()
      },
      end() {
        ending = true
        flush()
      },
      close: () => conn.terminate(),
    }
  }

  private async dockerIp(ns: string, pod: string): Promise<string | undefined> {
    const cs = await this.podContainers(ns, pod)
    // The sandbox holds the pod's network; a lone container on a Docker network has its own IP.
    cs.sort((a, b) => Number(b.labels[TYPE_LABEL] === 'podsandbox') - Number(a.labels[TYPE_LABEL] === 'podsandbox'))
    for (const c of cs) {
      if (c.state !== 'running') continue
      const info = await this.rt.docker
        .getContainer(c.id)
        .inspect()
        .catch(() => undefined)
      const n = info?.NetworkSettings
      const ip =
        (n as { IPAddress?: string } | undefined)?.IPAddress ||
        Object.values(n?.Networks ?? {}).find((x) => x.IPAddress)?.IPAddress
      if (ip) return ip
    }
    return undefined
  }
}

function dockerMessage(e: unknown): string {
  const m = (e as { json?: { message?: string } }).json?.message
  return m ?? (e as Error).message
}

/** A Docker log stream as a web stream: demultiplexed unless TTY; cancel (client gone) destroys it. */
function toWeb(src: Readable, tty: boolean): ReadableStream<Uint8Array> {
  const demux = tty ? undefined : new DockerDemuxer()
  return new ReadableStream<Uint8Array>({
    start(c) {
      src.on('data', (b: Buffer) => {
        if (!demux) return c.enqueue(new Uint8Array(b))
        for (const p of demux.push(u8(b))) c.enqueue(p.data)
      })
      src.on('end', () => c.close())
      src.on('close', () => {
        try {
          c.close()
        } catch {}
      })
      src.on('error', (e) => c.error(e))
    },
    cancel() {
      src.destroy()
    },
  })
}

function processIO(
  stream: Duplex | Readable,
  tty: boolean,
  exitCode: () => Promise<number>,
  resize: (w: number, h: number) => Promise<void>,
): ProcessIO {
  const demux = tty ? undefined : new DockerDemuxer()
  const fns: ((ch: 1 | 2, d: Uint8Array) => void)[] = []
  const early: { ch: 1 | 2; d: Uint8Array }[] = []
  const emit = (ch: 1 | 2, d: Uint8Array) => {
    if (fns.length) for (const f of fns) f(ch, d)
    else early.push({ ch, d })
  }
  stream.on('data', (b: Buffer) => {
    if (!demux) return emit(1, new Uint8Array(b))
    for (const p of demux.push(u8(b))) emit(p.channel, p.data)
  })
  const ended = new Promise<void>((r) => {
    stream.on('end', () => r())
    stream.on('close', () => r())
    stream.on('error', () => r())
  })
  const writable = 'write' in stream ? (stream as Duplex) : undefined
  return {
    onOutput(f) {
      fns.push(f)
      for (const e of early.splice(0)) f(e.ch, e.d)
    },
    writeStdin: (d) => writable?.write(d),
    closeStdin: () => writable?.end(),
    resize,
    exit: ended.then(exitCode),
    detach: () => stream.destroy(),
  }
}
