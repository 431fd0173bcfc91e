// Runtime over the Docker Engine API: the only module that imports dockerode. Inspect results are cached
// per (id, state) so a relist costs one `GET /containers/json` plus an inspect only for containers that
// changed state since the last one.
import { PassThrough, Readable } from 'node:stream'
import Docker from 'dockerode'
import { TYPE_LABEL } from './labels.ts'
import {
  type ContainerConfig,
  type ContainerState,
  type ExecResult,
  type ExecSession,
  ImagePullError,
  type LogOptions,
  type Runtime,
  type RuntimeContainer,
  type RuntimeEvent,
  type RuntimeVersion,
} from './runtime.ts'

const OUTPUT_CAP = 10 * 1024

export class DockerUnavailableError extends Error {
  override name = 'DockerUnavailableError'
}

const ms = (t?: string) => {
  if (!t || t.startsWith('0001-')) return undefined
  const v = Date.parse(t)
  return Number.isFinite(v) ? v : undefined
}

function stateOf(s?: string): ContainerState {
  if (s === 'running' || s === 'paused' || s === 'restarting') return 'running'
  if (s === 'exited' || s === 'dead') return 'exited'
  if (s === 'created') return 'created'
  return 'unknown'
}

const statusCode = (e: unknown) => (e as { statusCode?: number }).statusCode

export class DockerRuntime implements Runtime {
  readonly docker: Docker
  private readonly cache = new Map<string, { state: string; c: RuntimeContainer }>()

  constructor(readonly socketPath = '/var/run/docker.sock') {
    this.docker = new Docker({ socketPath })
  }

  async version(): Promise<RuntimeVersion> {
    try {
      const v = await this.docker.version()
      return { name: 'docker', version: v.Version }
    } catch (e) {
      throw new DockerUnavailableError(
        `cannot reach Docker at ${this.socketPath}: ${(e as Error).message}; start dockerd or pass --docker-socket`,
      )
    }
  }

  async list(): Promise<RuntimeContainer[]> {
    const all = await this.docker.listContainers({ all: true, filters: { label: [TYPE_LABEL] } })
    const live = new Set<string>()
    const out: RuntimeContainer[] = []
    for (const s of all) {
      live.add(s.Id)
      const hit = this.cache.get(s.Id)
      if (hit && hit.state === s.State) {
        out.push(hit.c)
        continue
      }
      const c = await this.inspect(s.Id)
      if (c) out.push(c)
    }
    for (const id of this.cache.keys()) if (!live.has(id)) this.cache.delete(id)
    return out
  }

  async inspect(id: string): Promise<RuntimeContainer | undefined> {
    let i: Docker.ContainerInspectInfo
    try {
      i = await this.docker.getContainer(id).inspect()
    } catch (e) {
      if (statusCode(e) === 404) return undefined
      throw e
    }
    const c: RuntimeContainer = {
      id: i.Id,
      name: i.Name.replace(/^\//, ''),
      labels: i.Config.Labels ?? {},
      image: i.Config.Image,
      imageId: i.Image,
      state: stateOf(i.State.Status),
      createdAt: ms(i.Created) ?? 0,
      startedAt: ms(i.State.StartedAt),
      finishedAt: i.State.Running ? undefined : ms(i.State.FinishedAt),
      exitCode: i.State.Running || i.State.Status === 'created' ? undefined : i.State.ExitCode,
      oomKilled: i.State.OOMKilled,
      error: i.State.Error || undefined,
      pid: i.State.Pid || undefined,
    }
    this.cache.set(c.id, { state: i.State.Status, c })
    return c
  }

  async create(cfg: ContainerConfig): Promise<string> {
    const c = await this.docker.createContainer({
      name: cfg.name,
      Image: cfg.image,
      Labels: cfg.labels,
      Entrypoint: cfg.entrypoint,
      Cmd: cfg.cmd,
      Env: cfg.env,
      WorkingDir: cfg.workingDir,
      Hostname: cfg.hostname,
      User: cfg.user,
      Tty: cfg.tty,
      OpenStdin: cfg.openStdin,
      StdinOnce: cfg.stdinOnce,
      AttachStdin: false,
      HostConfig: {
        NetworkMode: cfg.networkMode,
        IpcMode: cfg.ipcMode,
        PidMode: cfg.pidMode,
        UTSMode: cfg.utsMode,
        Mounts: (cfg.mounts ?? []).map((m) => ({
          Type: 'bind' as const,
          Source: m.source,
          Target: m.target,
          ReadOnly: !!m.readOnly,
        })),
        Tmpfs: cfg.tmpfs,
        Memory: cfg.memory,
        MemorySwap: cfg.memory,
        CpuShares: cfg.cpuShares,
        CpuQuota: cfg.cpuQuota,
        CpuPeriod: cfg.cpuPeriod,
        OomScoreAdj: cfg.oomScoreAdj,
        Privileged: cfg.privileged,
        CapAdd: cfg.capAdd,
        CapDrop: cfg.capDrop,
        ReadonlyRootfs: cfg.readonlyRootfs,
        Sysctls: cfg.sysctls,
        GroupAdd: cfg.groupAdd,
        // The kubelet restarts containers itself (a new attempt), as dockershim did.
        RestartPolicy: { Name: 'no' },
        LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '2' } },
      },
    })
    return c.id
  }

  async start(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).start()
    } catch (e) {
      if (statusCode(e) !== 304) throw e
    }
  }

  async stop(id: string, graceSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: Math.max(0, Math.floor(graceSeconds)) })
    } catch (e) {
      if (statusCode(e) !== 304 && statusCode(e) !== 404) throw e
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true })
    } catch (e) {
      if (statusCode(e) !== 404) throw e
    }
    this.cache.delete(id)
  }

  async imageId(ref: string): Promise<string | undefined> {
    try {
      return (await this.docker.getImage(ref).inspect()).Id
    } catch (e) {
      if (statusCode(e) === 404) return undefined
      throw e
    }
  }

  async pull(ref: string, auth?: { username?: string; password?: string; serveraddress?: string }): Promise<void> {
    try {
      const stream = await this.docker.pull(ref, auth ? { authconfig: auth } : {})
      await new Promise<void>((resolve, reject) => {
        this.docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => {
          const failed = err?.message ?? out?.find((o) => o.error)?.error
          if (failed) reject(new Error(failed))
          else resolve()
        })
      })
    } catch (e) {
      throw new ImagePullError((e as Error).message.replace(/^\(HTTP code \d+\) [\w ]+ - /, '').trim())
    }
  }

  async importRootfs(tar: Uint8Array, ref: string, config?: { cmd?: string[] }): Promise<void> {
    const [repo, tag] = splitRef(ref)
    const opts: Record<string, string> = { repo, tag }
    if (config?.cmd) opts.changes = `CMD ${JSON.stringify(config.cmd)}`
    const res = await this.docker.importImage(Readable.from([Buffer.from(tar)]) as never, opts)
    await drain(res as NodeJS.ReadableStream)
  }

  async loadImages(tar: Readable): Promise<void> {
    const res = await this.docker.loadImage(tar as never)
    await drain(res as NodeJS.ReadableStream)
  }

  async exec(id: string, cmd: string[], opts: { timeoutMs: number }): Promise<ExecResult> {
    const ex = await this.docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true })
    const stream = (await ex.start({ Detach: false })) as NodeJS.ReadableStream & { destroy?: () => void }
    let output = ''
    const sink = new PassThrough()
    sink.on('data', (b: Buffer) => {
      if (output.length < OUTPUT_CAP) output += b.toString('utf8')
    })
    this.docker.modem.demuxStream(stream, sink, sink)
    const ended = new Promise<void>((r) => {
      stream.on('end', () => r())
      stream.on('close', () => r())
      stream.on('error', () => r())
    })
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = await Promise.race([
      ended.then(() => false),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(true), opts.timeoutMs)
      }),
    ])
    clearTimeout(timer)
    if (timedOut) {
      stream.destroy?.()
      return { exitCode: -1, output, timedOut: true }
    }
    const info = await ex.inspect()
    return { exitCode: info.ExitCode ?? -1, output: output.slice(0, OUTPUT_CAP) }
  }

  async execStream(id: string, cmd: string[], opts: { tty: boolean; stdin: boolean }): Promise<ExecSession> {
    const ex = await this.docker.getContainer(id).exec({
      Cmd: cmd,
      AttachStdin: opts.stdin,
      AttachStdout: true,
      AttachStderr: true,
      Tty: opts.tty,
    })
    const stream = (await ex.start({ hijack: true, stdin: opts.stdin, Tty: opts.tty })) as import('node:stream').Duplex
    const done = new Promise<void>((r) => {
      stream.on('end', () => r())
      stream.on('close', () => r())
    })
    return {
      stream,
      exitCode: async () => {
        await done
        return (await ex.inspect()).ExitCode ?? -1
      },
      resize: async (w, h) => {
        await ex.resize({ w, h }).catch(() => {})
      },
    }
  }

  async attach(id: string, opts: { tty: boolean; stdin: boolean }): Promise<import('node:stream').Duplex> {
    return (await this.docker.getContainer(id).attach({
      stream: true,
      stdin: opts.stdin,
      stdout: true,
      stderr: true,
      hijack: opts.stdin,
    })) as import('node:stream').Duplex
  }

  async logs(id: string, o: LogOptions): Promise<Readable> {
    const base = {
      stdout: true,
      stderr: true,
      timestamps: !!o.timestamps,
      since: o.since,
      tail: (o.tail ?? 'all') as number,
    }
    const c = this.docker.getContainer(id)
    if (o.follow) return (await c.logs({ ...base, follow: true })) as unknown as Readable
    const buf = (await c.logs({ ...base, follow: false })) as unknown as Buffer
    return Readable.from([buf])
  }

  events(onEvent: (e: RuntimeEvent) => void): () => void {
    let stopped = false
    let current: (NodeJS.ReadableStream & { destroy?: () => void }) | undefined
    const follow = async () => {
      while (!stopped) {
        try {
          const s = (await this.docker.getEvents({
            filters: { type: ['container'], label: [TYPE_LABEL] },
          })) as NodeJS.ReadableStream & { destroy?: () => void }
          current = s
          let buf = ''
          await new Promise<void>((resolve) => {
            s.on('data', (b: Buffer) => {
              buf += b.toString('utf8')
              let nl = buf.indexOf('\n')
              while (nl >= 0) {
                const line = buf.slice(0, nl).trim()
                buf = buf.slice(nl + 1)
                nl = buf.indexOf('\n')
                if (!line) continue
                try {
                  const ev = JSON.parse(line)
                  onEvent({ action: ev.Action ?? ev.status, id: ev.id, labels: ev.Actor?.Attributes ?? {} })
                } catch {}
              }
            })
            s.on('end', () => resolve())
            s.on('close', () => resolve())
            s.on('error', () => resolve())
          })
        } catch {}
        if (!stopped) await Bun.sleep(1000)
      }
    }
    void follow()
    return () => {
      stopped = true
      current?.destroy?.()
    }
  }
}

export function splitRef(ref: string): [string, string] {
  const at = ref.lastIndexOf(':')
  if (at > ref.lastIndexOf('/')) return [ref.slice(0, at), ref.slice(at + 1)]
  return [ref, 'latest']
}

async function drain(s: NodeJS.ReadableStream): Promise<void> {
  let text = ''
  await new Promise<void>((resolve, reject) => {
    s.on('data', (b: Buffer) => {
      text += b.toString('utf8')
    })
    s.on('end', () => resolve())
    s.on('error', reject)
  })
  const err = /"error"\s*:\s*"([^"]*)"/.exec(text)?.[1]
  if (err) throw new Error(err)
}
