// PodSpec container → Docker create options, as dockershim/cri-dockerd: joined to the sandbox's network
// and IPC namespaces (PID too with shareProcessNamespace), command/args as Entrypoint/Cmd with $(VAR)
// expansion, resources as cgroup limits, securityContext, and the kubelet-managed /etc/hosts and
// /etc/resolv.conf bind-mounted in. Pure.
import { createHash } from 'node:crypto'
import type { Container, Pod } from 'kubernetes-types/core/v1'
import { milliCpu, parseQuantity } from '../../server/scheduler/quantity.ts'
import { containerLabels, containerName } from '../runtime/labels.ts'
import type { ContainerConfig, Mount } from '../runtime/runtime.ts'
import { expandVars } from './env.ts'

export interface ContainerInputs {
  pod: Pod
  container: Container
  kind: 'init' | 'app'
  restartCount: number
  sandboxId: string
  env: Map<string, string>
  /** volume mounts already resolved to host paths */
  mounts: Mount[]
  /** host files for /etc/hosts and /etc/resolv.conf (hosts omitted for hostNetwork pods) */
  hostsPath?: string
  resolvPath?: string
  /** hash of the container as the API has it (before kubelet-added mounts); default: of `container` */
  hash?: string
}

/** Docker cgroup settings from a container's resources (node.md: verified in the cgroup files). */
export function dockerResources(
  c: Container,
): Pick<ContainerConfig, 'memory' | 'cpuShares' | 'cpuQuota' | 'cpuPeriod'> {
  const limits = c.resources?.limits ?? {}
  const requests = c.resources?.requests ?? {}
  const out: Pick<ContainerConfig, 'memory' | 'cpuShares' | 'cpuQuota' | 'cpuPeriod'> = {}
  const mem = parseQuantity(limits.memory as string | undefined)
  if (mem > 0) out.memory = Math.floor(mem)
  // A limit without a request means request = limit (API defaulting does this too).
  const reqCpu = milliCpu((requests.cpu ?? limits.cpu) as string | undefined)
  out.cpuShares = Math.max(2, Math.floor((reqCpu * 1024) / 1000))
  const limCpu = milliCpu(limits.cpu as string | undefined)
  if (limCpu > 0) {
    out.cpuQuota = Math.max(1000, limCpu * 100)
    out.cpuPeriod = 100_000
  }
  return out
}

/** Changes to these fields restart a running container (the kubelet's container hash). */
export function containerHash(c: Container): string {
  return createHash('sha256').update(JSON.stringify(c)).digest('hex').slice(0, 8)
}

function userOf(pod: Pod, c: Container): string | undefined {
  const uid = c.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser
  const gid = c.securityContext?.runAsGroup ?? pod.spec?.securityContext?.runAsGroup
  if (uid === undefined) return gid === undefined ? undefined : `0:${gid}`
  return gid === undefined ? String(uid) : `${uid}:${gid}`
}

export function containerConfig(i: ContainerInputs): ContainerConfig {
  const { pod, container: c } = i
  const spec = pod.spec ?? { containers: [] }
  const ref = { name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? '', uid: pod.metadata?.uid ?? '' }
  const sc = c.securityContext ?? {}
  const psc = spec.securityContext ?? {}
  const mounts: Mount[] = [...i.mounts]
  if (i.hostsPath && !spec.hostNetwork && !mounts.some((m) => m.target === '/etc/hosts'))
    mounts.push({ source: i.hostsPath, target: '/etc/hosts' })
  if (i.resolvPath && !mounts.some((m) => m.target === '/etc/resolv.conf'))
    mounts.push({ source: i.resolvPath, target: '/etc/resolv.conf' })
  const groups = [...(psc.supplementalGroups ?? []), ...(psc.fsGroup !== undefined ? [psc.fsGroup] : [])]
  const sandbox = `container:${i.sandboxId}`
  return {
    name: containerName(ref, c.name, i.restartCount),
    image: c.image ?? '',
    labels: containerLabels(ref, {
      sandboxId: i.sandboxId,
      name: c.name,
      hash: i.hash ?? containerHash(c),
      restartCount: i.restartCount,
      kind: i.kind,
      terminationMessagePath: c.terminationMessagePath,
      node: i.pod.spec?.nodeName,
    }),
    entrypoint: c.command?.map((s) => expandVars(s, i.env)),
    cmd: c.args?.map((s) => expandVars(s, i.env)),
    env: [...i.env].map(([k, v]) => `${k}=${v}`),
    workingDir: c.workingDir,
    user: userOf(pod, c),
    groupAdd: groups.length ? groups.map(String) : undefined,
    tty: c.tty,
    openStdin: c.stdin,
    stdinOnce: c.stdinOnce,
    networkMode: sandbox,
    ipcMode: sandbox,
    pidMode: spec.shareProcessNamespace ? sandbox : spec.hostPID ? 'host' : undefined,
    mounts,
    ...dockerResources(c),
    privileged: sc.privileged,
    capAdd: sc.capabilities?.add,
    capDrop: sc.capabilities?.drop,
    readonlyRootfs: sc.readOnlyRootFilesystem,
  }
}
