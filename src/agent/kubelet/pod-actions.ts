// The side effects behind plan actions: create a sandbox and plumb its network, start a container
// (image, volumes, env, /etc/hosts and resolv.conf, postStart hook), stop one gracefully (preStop,
// SIGTERM, SIGKILL after the grace period), and finalize a deleted pod.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Container, LifecycleHandler, Pod } from 'kubernetes-types/core/v1'
import type { HostPort } from '../../cni/index.ts'
import { logger } from '../../shared/log.ts'
import { isSandbox, sandboxLabels, sandboxName } from '../runtime/labels.ts'
import type { RuntimeContainer } from '../runtime/runtime.ts'
import { containerConfig, containerHash } from './container-config.ts'
import { podHostname, podHostsFile, podResolvConf } from './dns.ts'
import { ContainerConfigError, resolveEnv } from './env.ts'
import { ensureImage } from './images.ts'
import type { PlanAction } from './plan.ts'
import type { PodWorker } from './pod-worker.ts'
import { runProbe } from './probes.ts'
import { masterServiceEnv, withServiceAccountVolume } from './service-account.ts'
import { apiDataVolumes, containerMounts, podDir, setUpVolumes, tearDownPodDir, VolumeError } from './volumes.ts'

const log = logger('kubelet')

const podRef = (pod: Pod) => ({
  name: pod.metadata?.name ?? '',
  namespace: pod.metadata?.namespace ?? '',
  uid: pod.metadata?.uid ?? '',
})

/** sandboxes get oom_score_adj -998 as upstream, unless this host refuses it */
let lowerOomScore = true

export async function createSandbox(w: PodWorker, attempt: number): Promise<void> {
  const { ctx, pod } = w
  const spec = pod.spec ?? { containers: [] }
  const ref = podRef(pod)
  // A half-made sandbox of this attempt (agent crash mid-way) is replaced.
  await ctx.runtime.remove(sandboxName(ref, attempt)).catch(() => {})
  const sysctls = Object.fromEntries((spec.securityContext?.sysctls ?? []).map((s) => [s.name, s.value]))
  const config = {
    name: sandboxName(ref, attempt),
    image: ctx.pauseImage,
    labels: sandboxLabels(ref, attempt, pod.metadata?.annotations ?? {}, ctx.nodeName),
    hostname: spec.hostNetwork ? undefined : podHostname(pod),
    networkMode: spec.hostNetwork ? 'host' : 'none',
    ipcMode: spec.hostIPC ? 'host' : 'shareable',
    pidMode: spec.hostPID ? 'host' : undefined,
    cpuShares: 2,
    oomScoreAdj: lowerOomScore ? -998 : undefined,
    sysctls: Object.keys(sysctls).length ? sysctls : undefined,
  }
  let id = await ctx.runtime.create(config)
  try {
    await ctx.runtime.start(id)
  } catch (e) {
    // Inside some containers/VMs runc may not lower oom_score_adj; run sandboxes without it there.
    if (config.oomScoreAdj === undefined || !/final child's PID|oom_score_adj/.test((e as Error).message)) {
      await ctx.runtime.remove(id)
      throw e
    }
    if (lowerOomScore) log.warn('cannot lower the OOM score of pod sandboxes on this host; continuing without it')
    lowerOomScore = false
    await ctx.runtime.remove(id)
    id = await ctx.runtime.create({ ...config, oomScoreAdj: undefined })
    await ctx.runtime.start(id)
  }
  if (spec.hostNetwork) return
  const info = await ctx.runtime.inspect(id)
  if (!info?.pid) throw new Error(`pod sandbox ${id.slice(0, 12)} exited right after start`)
  try {
    const { ip } = await ctx.network.add(id, `/proc/${info.pid}/ns/net`, 'eth0', { hostPorts: hostPortsOf(pod) })
    w.podIP = ip
    w.networkReady.add(id)
  } catch (e) {
    await ctx.runtime.remove(id)
    event(w, 'Warning', 'FailedCreatePodSandBox', `Failed to set up the pod network: ${(e as Error).message}`)
    throw e
  }
}

/** Container ports with a hostPort, DNATed on the node by the pod network (CNI portmap-style). */
export function hostPortsOf(pod: Pod): HostPort[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].flatMap((c) =>
    (c.ports ?? [])
      .filter((p) => p.hostPort)
      .map((p) => ({
        hostPort: p.hostPort as number,
        containerPort: p.containerPort,
        protocol: (p.protocol ?? 'TCP') as HostPort['protocol'],
        hostIP: p.hostIP,
      })),
  )
}

export async function killSandbox(w: PodWorker, id: string): Promise<void> {
  await w.ctx.runtime.stop(id, 0)
  await w.ctx.network.remove(id).catch((e) => log.warn('pod network removal failed', { pod: w.key(), err: e }))
  w.networkReady.delete(id)
}

function event(w: PodWorker, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string) {
  if (w.ctx.isStatic(w.pod)) return
  const obj = { apiVersion: 'v1', kind: 'Pod', metadata: w.pod.metadata ?? {} }
  void fieldPath
  w.ctx.events.event(obj as never, type, reason, message)
}

function specOf(pod: Pod, name: string, kind: 'init' | 'app'): Container {
  const list = kind === 'init' ? pod.spec?.initContainers : pod.spec?.containers
  const c = list?.find((x) => x.name === name)
  if (!c) throw new Error(`container ${name} is not in the pod spec`)
  return c
}

function runtimeInfo(w: PodWorker) {
  return {
    podIPs: w.pod.spec?.hostNetwork ? w.ctx.nodeIPs : w.podIP ? [w.podIP] : [],
    hostIPs: w.ctx.nodeIPs,
    nodeName: w.ctx.nodeName,
    allocatable: w.ctx.allocatable,
  }
}

/** Volumes are set up once per sandbox and refreshed by the periodic resync (ConfigMap updates). */
export async function ensureVolumes(w: PodWorker, sandboxId: string, force = false): Promise<Map<string, string>> {
  if (!force && w.volumesReadyFor === sandboxId && w.volumePaths) return w.volumePaths
  const dir = podDir(w.ctx.dataDir, w.uid)
  try {
    w.volumePaths = await setUpVolumes(
      withServiceAccountVolume(w.pod),
      dir,
      w.ctx.objects,
      w.ctx.mounter,
      runtimeInfo(w),
      (msg) => event(w, 'Warning', 'FailedMount', msg),
    )
  } catch (e) {
    event(w, 'Warning', 'FailedMount', `MountVolume.SetUp failed: ${(e as Error).message}`)
    if (e instanceof VolumeError) throw Object.assign(new Error((e as Error).message), { reason: 'ContainerCreating' })
    throw e
  }
  w.volumesReadyFor = sandboxId
  return w.volumePaths
}

function writePodFiles(w: PodWorker): { hostsPath: string; resolvPath: string } {
  const dir = podDir(w.ctx.dataDir, w.uid)
  mkdirSync(dir, { recursive: true })
  const hostsPath = join(dir, 'etc-hosts')
  const resolvPath = join(dir, 'resolv.conf')
  writeFileSync(hostsPath, podHostsFile(w.pod, w.podIP ? [w.podIP] : [], w.ctx.clusterDns.domain))
  writeFileSync(resolvPath, podResolvConf(w.pod, w.ctx.hostResolv, w.ctx.clusterDns))
  return { hostsPath, resolvPath }
}

export async function startContainer(w: PodWorker, a: Extract<PlanAction, { type: 'startContainer' }>): Promise<void> {
  const { ctx } = w
  const pod = withServiceAccountVolume(w.pod)
  const c = specOf(pod, a.name, a.kind)
  const ns = pod.metadata?.namespace ?? 'default'
  await ensureImage(
    ctx.runtime,
    c,
    async () =>
      (
        await Promise.all(
          (pod.spec?.imagePullSecrets ?? []).map((s) => ctx.objects.secret(ns, s.name ?? '').catch(() => undefined)),
        )
      ).filter((s): s is Record<string, string> => !!s),
    {
      normal: (reason, msg) => event(w, 'Normal', reason, msg),
      warning: (reason, msg) => event(w, 'Warning', reason, msg),
    },
    w.errors[a.name]?.failures ?? 0,
  )
  const volumes = await ensureVolumes(w, a.sandboxId)
  let env: Map<string, string>
  try {
    const master = await ctx.objects.masterServiceIP()
    env = await resolveEnv(pod, c, ctx.objects, {
      ...runtimeInfo(w),
      serviceEnv: master ? masterServiceEnv(master) : undefined,
    })
  } catch (e) {
    if (e instanceof ContainerConfigError) event(w, 'Warning', 'Failed', `Error: ${e.message}`)
    throw e
  }
  const files = writePodFiles(w)
  const cfg = containerConfig({
    pod,
    container: c,
    kind: a.kind,
    restartCount: a.restartCount,
    sandboxId: a.sandboxId,
    env,
    mounts: containerMounts(c, volumes, apiDataVolumes(pod)),
    hostsPath: pod.spec?.hostNetwork ? undefined : files.hostsPath,
    resolvPath: files.resolvPath,
    hash: containerHash(specOf(w.pod, a.name, a.kind)),
  })
  await ctx.runtime.remove(cfg.name).catch(() => {})
  const id = await ctx.runtime.create(cfg)
  event(w, 'Normal', 'Created', `Created container ${c.name}`)
  try {
    await ctx.runtime.start(id)
  } catch (e) {
    event(w, 'Warning', 'Failed', `Error: failed to start container "${c.name}": ${(e as Error).message}`)
    throw e
  }
  event(w, 'Normal', 'Started', `Started container ${c.name}`)
  if (c.lifecycle?.postStart) {
    const r = await runHook(w, c.lifecycle.postStart, id, c, 30)
    if (!r.ok) {
      event(w, 'Warning', 'FailedPostStartHook', `PostStartHook failed: ${r.message}`)
      await ctx.runtime.stop(id, gracePeriod(pod))
    }
  }
}

function runHook(w: PodWorker, h: LifecycleHandler, id: string, c: Container, timeoutSeconds: number) {
  if (h.sleep) return Bun.sleep(h.sleep.seconds * 1000).then(() => ({ ok: true, message: '' }))
  return runProbe(
    { exec: h.exec, httpGet: h.httpGet, tcpSocket: h.tcpSocket, timeoutSeconds },
    { runtime: w.ctx.runtime, containerId: id, container: c, podIP: w.podIP ?? '127.0.0.1' },
  )
}

/** The deletion's grace period when the pod is being deleted, else the spec's (default 30 s). */
export function gracePeriod(pod: Pod): number {
  return pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30
}

export async function killContainer(
  w: PodWorker,
  a: Extract<PlanAction, { type: 'killContainer' }>,
  observed: RuntimeContainer[],
): Promise<void> {
  const { ctx, pod } = w
  const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === a.name)
  let grace = gracePeriod(pod)
  const started = Date.now()
  if (a.reason === 'Unhealthy') {
    grace = pod.spec?.terminationGracePeriodSeconds ?? 30
    event(w, 'Normal', 'Killing', `Container ${a.name} failed liveness probe, will be restarted`)
  } else event(w, 'Normal', 'Killing', `Stopping container ${a.name}`)
  if (spec?.lifecycle?.preStop) {
    const r = await runHook(w, spec.lifecycle.preStop, a.id, spec, grace)
    if (!r.ok) event(w, 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${r.message}`)
  }
  const left = Math.max(2, grace - Math.floor((Date.now() - started) / 1000))
  await ctx.runtime.stop(a.id, left)
  void observed
}

/** Everything is stopped and removed: free the network, unmount and remove the pod's directory, then
 * delete the API object for good (gracePeriodSeconds=0, guarded by uid), as the kubelet's status
 * manager does once a terminating pod's containers are gone. */
export async function finalizePod(w: PodWorker, observed: RuntimeContainer[]): Promise<void> {
  const { ctx, pod } = w
  for (const s of observed.filter(isSandbox)) await ctx.network.remove(s.id).catch(() => {})
  ctx.prober.stopPod(w.uid)
  await tearDownPodDir(podDir(ctx.dataDir, w.uid), ctx.mounter)
  if (ctx.isStatic(pod) || pod.metadata?.annotations?.['kubun.io/orphan'] === 'true') return
  try {
    await ctx.client.delete(
      { group: '', version: 'v1', resource: 'pods', namespace: pod.metadata?.namespace },
      pod.metadata?.name ?? '',
      { gracePeriodSeconds: 0, preconditions: { uid: w.uid } },
    )
  } catch (e) {
    const code = (e as { code?: number }).code
    if (code !== 404 && code !== 409) throw e
  }
}
