// An in-memory Runtime for unit tests: containers change state only when told (start, stop, exit()),
// images are a set of refs, exec answers from execResults keyed by the command's first word.
import { PassThrough, Readable } from 'node:stream'
import type {
  ContainerConfig,
  ExecResult,
  ExecSession,
  Runtime,
  RuntimeContainer,
  RuntimeEvent,
  RuntimeVersion,
} from './runtime.ts'

export class FakeRuntime implements Runtime {
  readonly containers = new Map<string, RuntimeContainer & { config: ContainerConfig }>()
  readonly images = new Set<string>()
  readonly execResults = new Map<string, ExecResult>()
  readonly calls: string[] = []
  private seq = 0
  private listeners = new Set<(e: RuntimeEvent) => void>()
  now = () => Date.now()

  async version(): Promise<RuntimeVersion> {
    return { name: 'fake', version: '0.0.0' }
  }

  async list(): Promise<RuntimeContainer[]> {
    return [...this.containers.values()].map((c) => ({ ...c }))
  }

  async inspect(id: string): Promise<RuntimeContainer | undefined> {
    const c = this.containers.get(id)
    return c && { ...c }
  }

  async create(config: ContainerConfig): Promise<string> {
    if (!this.images.has(config.image)) throw new Error(`No such image: ${config.image}`)
    const id = `c${++this.seq}`
    this.calls.push(`create ${config.name}`)
    this.containers.set(id, {
      id,
      name: config.name,
      labels: config.labels,
      image: config.image,
      imageId: `sha256:${config.image}`,
      state: 'created',
      createdAt: this.now(),
      config,
    })
    return id
  }

  async start(id: string): Promise<void> {
    const c = this.must(id)
    this.calls.push(`start ${c.name}`)
    Object.assign(c, { state: 'running', startedAt: this.now(), pid: 1000 + this.seq })
    this.emit('start', c)
  }

  /** test hook: the container's process ends */
  exit(id: string, exitCode: number, oomKilled = false): void {
    const c = this.must(id)
    Object.assign(c, { state: 'exited', finishedAt: this.now(), exitCode, oomKilled, pid: undefined })
    this.emit('die', c)
  }

  async stop(id: string, _grace: number): Promise<void> {
    const c = this.containers.get(id)
    if (c?.state !== 'running') return
    this.calls.push(`stop ${c.name}`)
    this.exit(id, 137)
  }

  async remove(id: string): Promise<void> {
    const c = this.containers.get(id)
    if (c) this.calls.push(`remove ${c.name}`)
    this.containers.delete(id)
  }

  async imageId(ref: string): Promise<string | undefined> {
    return this.images.has(ref) ? `sha256:${ref}` : undefined
  }

  async pull(ref: string): Promise<void> {
    throw new Error(`pull access denied for ${ref}: no registry in tests`)
  }

  async importRootfs(_tar: Uint8Array, ref: string): Promise<void> {
    this.images.add(ref)
  }

  async loadImages(_tar: Readable): Promise<void> {}

  async exec(_id: string, cmd: string[]): Promise<ExecResult> {
    return this.execResults.get(cmd[0]) ?? { exitCode: 0, output: '' }
  }

  async execStream(id: string, cmd: string[]): Promise<ExecSession> {
    const r = await this.exec(id, cmd)
    const stream = new PassThrough()
    stream.end(r.output)
    return { stream, exitCode: async () => r.exitCode, resize: async () => {} }
  }

  async attach(): Promise<PassThrough> {
    return new PassThrough()
  }

  async logs(): Promise<Readable> {
    return Readable.from([])
  }

  events(onEvent: (e: RuntimeEvent) => void): () => void {
    this.listeners.add(onEvent)
    return () => this.listeners.delete(onEvent)
  }

  private emit(action: string, c: RuntimeContainer) {
    for (const l of this.listeners) l({ action, id: c.id, labels: c.labels })
  }

  private must(id: string) {
    const c = this.containers.get(id)
    if (!c) throw new Error(`No such container: ${id}`)
    return c
  }
}
