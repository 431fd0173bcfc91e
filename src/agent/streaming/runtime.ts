// What the kubelet API needs from the container runtime to stream: find a pod's container, read its
// logs, run a process in it (exec) or join its main process (attach), and reach a port of the pod.
// src/agent/runtime/docker-streaming.ts implements it over the Docker Engine API; tests use fakes.

export interface ContainerRef {
  id: string
  running: boolean
  /** the container was created with a TTY (its logs and attach are not multiplexed) */
  tty: boolean
  /** the container was created with stdin open (attach -i needs it) */
  stdinOpen?: boolean
}

/** As the kubelet's /containerLogs query (upstream PodLogOptions). */
export interface LogOptions {
  follow?: boolean
  tailLines?: number
  /** only lines after this time (sinceSeconds is turned into it) */
  since?: Date
  timestamps?: boolean
  previous?: boolean
  limitBytes?: number
}

/** A running process's streams. With a TTY all output comes on stdout. */
export interface ProcessIO {
  /** output as it comes; channel 1 stdout, 2 stderr */
  onOutput(fn: (channel: 1 | 2, data: Uint8Array) => void): void
  writeStdin(data: Uint8Array): void
  /** stdin EOF (v5 `[255, 0]`) */
  closeStdin(): void
  resize(width: number, height: number): Promise<void>
  /** resolves once all output was delivered: the exit code (attach: the container's) */
  exit: Promise<number>
  /** the client went away: stop streaming (an exec'd process is left to end on its own, as upstream) */
  detach(): void
}

/** A TCP connection to a pod's port, as port-forward needs it. */
export interface PortConnection {
  write(data: Uint8Array): void
  /** half-close: the client sent everything */
  end(): void
  close(): void
}

export interface PortHandlers {
  data(chunk: Uint8Array): void
  /** the pod closed its side (or the connection failed after opening) */
  closed(error?: Error): void
}

export interface StreamingRuntime {
  /** The pod's container (`previous`: the last terminated attempt); undefined when there is none. */
  findContainer(ns: string, pod: string, container: string, previous?: boolean): Promise<ContainerRef | undefined>
  logs(c: ContainerRef, opts: LogOptions): Promise<ReadableStream<Uint8Array>>
  exec(c: ContainerRef, cmd: string[], opts: { tty: boolean; stdin: boolean }): Promise<ProcessIO>
  attach(c: ContainerRef, opts: { tty: boolean; stdin: boolean }): Promise<ProcessIO>
  /** Connects to `port` of the pod (its IP from the node, as the pod network makes it reachable). */
  portForward(ns: string, pod: string, port: number, h: PortHandlers): Promise<PortConnection>
}

/** A failure the client should see as is (container not found, not running, ...). */
export class StreamingError extends Error {
  override name = 'StreamingError'
  constructor(
    message: string,
    readonly code = 500,
  ) {
    super(message)
  }
}
