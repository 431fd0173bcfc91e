// The container runtime contract of the kubelet: a Docker-shaped, container-level interface (as
// dockershim/cri-dockerd spoke to Docker). docker.ts implements it over the Engine API (the only
// dockerode import); fake.ts keeps containers in memory for unit tests. Pods are not a runtime notion
// here: a pod is the set of containers whose labels carry its uid (see labels.ts).
import type { Duplex, Readable } from 'node:stream'

export type ContainerState = 'created' | 'running' | 'exited' | 'unknown'

export interface RuntimeContainer {
  id: string
  /** without Docker's leading slash */
  name: string
  labels: Record<string, string>
  image: string
  imageId: string
  state: ContainerState
  /** ms epoch */
  createdAt: number
  startedAt?: number
  finishedAt?: number
  exitCode?: number
  oomKilled?: boolean
  /** the runtime's error for a container that failed to start */
  error?: string
  /** host PID of the main process while running (sandbox netns: /proc/<pid>/ns/net) */
  pid?: number
}

export interface Mount {
  source: string
  target: string
  readOnly?: boolean
}

/** What the kubelet asks the runtime to create; maps 1:1 onto Docker's create options. */
export interface ContainerConfig {
  name: string
  image: string
  labels: Record<string, string>
  /** Kubernetes `command` (replaces the image ENTRYPOINT) */
  entrypoint?: string[]
  /** Kubernetes `args` (replaces the image CMD) */
  cmd?: string[]
  /** `KEY=value` */
  env?: string[]
  workingDir?: string
  hostname?: string
  user?: string
  groupAdd?: string[]
  tty?: boolean
  openStdin?: boolean
  stdinOnce?: boolean
  /** none | host | container:<id> */
  networkMode: string
  /** shareable | container:<id> | host */
  ipcMode?: string
  /** container:<id> | host */
  pidMode?: string
  utsMode?: string
  mounts?: Mount[]
  /** path → mount options, e.g. { '/cache': 'size=64m' } */
  tmpfs?: Record<string, string>
  memory?: number
  cpuShares?: number
  cpuQuota?: number
  cpuPeriod?: number
  oomScoreAdj?: number
  privileged?: boolean
  capAdd?: string[]
  capDrop?: string[]
  readonlyRootfs?: boolean
  sysctls?: Record<string, string>
}

export interface ExecResult {
  exitCode: number
  /** stdout and stderr, interleaved, capped */
  output: string
  timedOut?: boolean
}

export interface ExecSession {
  /** raw stream: with tty one byte stream; without, stdout/stderr multiplexed (8-byte headers) */
  stream: Duplex
  /** resolves with the exit code once the process has ended */
  exitCode(): Promise<number>
  resize(cols: number, rows: number): Promise<void>
}

export interface LogOptions {
  follow?: boolean
  /** number of lines from the end */
  tail?: number
  /** seconds since epoch */
  since?: number
  timestamps?: boolean
}

export interface RuntimeEvent {
  /** Docker action: start, die, oom, destroy, ... */
  action: string
  id: string
  labels: Record<string, string>
}

export interface RuntimeVersion {
  /** `docker` */
  name: string
  version: string
}

export interface Runtime {
  version(): Promise<RuntimeVersion>
  /** every container carrying a kubelet label (io.kubernetes.docker.type), in any state */
  list(): Promise<RuntimeContainer[]>
  inspect(id: string): Promise<RuntimeContainer | undefined>
  create(config: ContainerConfig): Promise<string>
  start(id: string): Promise<void>
  /** SIGTERM (or the image's stop signal), then SIGKILL after graceSeconds */
  stop(id: string, graceSeconds: number): Promise<void>
  /** removes the container (and its anonymous volumes); missing containers are fine */
  remove(id: string): Promise<void>
  /** the image id when the image is present locally */
  imageId(ref: string): Promise<string | undefined>
  /** pulls from a registry; throws ImagePullError */
  pull(ref: string, auth?: { username?: string; password?: string; serveraddress?: string }): Promise<void>
  /** docker import: a rootfs tar becomes image `ref` (the pause image) */
  importRootfs(tar: Uint8Array, ref: string, config?: { cmd?: string[] }): Promise<void>
  /** docker load of a `docker save` archive (air-gap images) */
  loadImages(tar: Readable): Promise<void>
  /** runs cmd to completion (probes, hooks) */
  exec(id: string, cmd: string[], opts: { timeoutMs: number }): Promise<ExecResult>
  /** interactive exec for `kubectl exec` (the streaming server) */
  execStream(id: string, cmd: string[], opts: { tty: boolean; stdin: boolean }): Promise<ExecSession>
  /** attaches to the main process (`kubectl attach`) */
  attach(id: string, opts: { tty: boolean; stdin: boolean }): Promise<Duplex>
  /** the container's log stream; without tty multiplexed with 8-byte headers */
  logs(id: string, opts: LogOptions): Promise<Readable>
  /** follows container events; returns a stop function */
  events(onEvent: (e: RuntimeEvent) => void): () => void
}

export class ImagePullError extends Error {
  override name = 'ImagePullError'
}
