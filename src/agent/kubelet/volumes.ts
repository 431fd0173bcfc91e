// Pod volumes on the host under <dataDir>/agent/pods/<uid>/volumes/<name>: emptyDir (tmpfs for medium
// Memory), hostPath, configMap, secret, projected, downwardAPI and persistentVolumeClaim bound to a
// hostPath/local PV. Secret and projected volumes sit on a tmpfs mount so their content never touches
// disk, as the kubelet's secret plugin. ConfigMap/Secret-backed volumes are rewritten (atomically)
// whenever their content changes, so running containers follow the objects.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Container, Pod, Volume, VolumeProjection } from 'kubernetes-types/core/v1'
import { parseQuantity } from '../../server/scheduler/quantity.ts'
import type { Mount } from '../runtime/runtime.ts'
import { type Payload, writeAtomic } from './atomic-writer.ts'
import { fieldRefValue, type ObjectSource, type PodRuntimeInfo, resourceFieldValue } from './env.ts'

export class VolumeError extends Error {
  override name = 'VolumeError'
}

/** What volume set-up needs beyond ConfigMaps and Secrets. */
export interface VolumeSource extends ObjectSource {
  /** TokenRequest for the pod's ServiceAccount; undefined when the API refuses */
  serviceAccountToken(pod: Pod, audience: string | undefined, expirationSeconds: number): Promise<string | undefined>
  /** the host path of the PV bound to a claim */
  claimPath(namespace: string, claim: string): Promise<string>
  /** ClusterIP of default/kubernetes (service links), undefined when unknown */
  masterServiceIP(): Promise<string | undefined>
}

export interface Mounter {
  isMounted(path: string): boolean
  mountTmpfs(path: string, sizeBytes?: number): Promise<void>
  unmount(path: string): Promise<void>
}

export const podDir = (dataDir: string, uid: string) => join(dataDir, 'agent', 'pods', uid)

/** Sets up (or refreshes) every volume; returns the host path per volume name. */
export async function setUpVolumes(
  pod: Pod,
  dir: string,
  src: VolumeSource,
  mounter: Mounter,
  info: PodRuntimeInfo,
  onWarning: (msg: string) => void,
): Promise<Map<string, string>> {
  const paths = new Map<string, string>()
  for (const v of pod.spec?.volumes ?? [])
    paths.set(v.name, await setUpVolume(pod, v, dir, src, mounter, info, onWarning))
  return paths
}

async function setUpVolume(
  pod: Pod,
  v: Volume,
  dir: string,
  src: VolumeSource,
  mounter: Mounter,
  info: PodRuntimeInfo,
  onWarning: (msg: string) => void,
): Promise<string> {
  const ns = pod.metadata?.namespace ?? 'default'
  const path = join(dir, 'volumes', v.name)
  if (v.hostPath) {
    const t = v.hostPath.type ?? ''
    if (t === 'DirectoryOrCreate') mkdirSync(v.hostPath.path, { recursive: true, mode: 0o755 })
    else if (t === 'FileOrCreate' && !existsSync(v.hostPath.path)) {
      mkdirSync(dirname(v.hostPath.path), { recursive: true })
      writeFileSync(v.hostPath.path, '', { mode: 0o644 })
    } else if ((t === 'Directory' || t === 'File') && !existsSync(v.hostPath.path))
      throw new VolumeError(`hostPath type check failed: ${v.hostPath.path} does not exist`)
    return v.hostPath.path
  }
  if (v.persistentVolumeClaim) return src.claimPath(ns, v.persistentVolumeClaim.claimName)
  mkdirSync(path, { recursive: true, mode: 0o777 })
  if (v.emptyDir) {
    if (v.emptyDir.medium === 'Memory' && !mounter.isMounted(path))
      await mounter.mountTmpfs(path, parseQuantity(v.emptyDir.sizeLimit as string | undefined) || undefined)
    return path
  }
  const onTmpfs = !!(v.secret || v.projected)
  if (onTmpfs && !mounter.isMounted(path)) await mounter.mountTmpfs(path)
  let payload: Payload | undefined
  if (v.configMap) {
    const data = await src.configMap(ns, v.configMap.name ?? '')
    if (!data && !v.configMap.optional) throw new VolumeError(`configmap "${v.configMap.name}" not found`)
    payload = keyPayload(data ?? {}, v.configMap.items, v.configMap.defaultMode)
  } else if (v.secret) {
    const data = await src.secret(ns, v.secret.secretName ?? '')
    if (!data && !v.secret.optional) throw new VolumeError(`secret "${v.secret.secretName}" not found`)
    payload = keyPayload(data ?? {}, v.secret.items, v.secret.defaultMode)
  } else if (v.downwardAPI) {
    payload = downwardPayload(pod, v.downwardAPI.items ?? [], v.downwardAPI.defaultMode, info)
  } else if (v.projected) {
    payload = {}
    for (const s of v.projected.sources ?? [])
      Object.assign(payload, await projection(pod, s, src, info, v.projected.defaultMode, onWarning))
  } else {
    onWarning(`volume ${v.name}: this volume type is not supported by kubun; an empty directory is used`)
    return path
  }
  writeAtomic(path, payload)
  return path
}

function keyPayload(
  data: Record<string, string>,
  items: { key: string; path: string; mode?: number }[] | undefined,
  defaultMode = 0o644,
): Payload {
  const out: Payload = {}
  if (items?.length) {
    for (const it of items) if (it.key in data) out[it.path] = { data: data[it.key], mode: it.mode ?? defaultMode }
  } else for (const [k, val] of Object.entries(data)) out[k] = { data: val, mode: defaultMode }
  return out
}

function downwardPayload(
  pod: Pod,
  items: {
    path: string
    fieldRef?: { fieldPath: string }
    resourceFieldRef?: { containerName?: string; resource: string; divisor?: unknown }
    mode?: number
  }[],
  defaultMode = 0o644,
  info: PodRuntimeInfo,
): Payload {
  const out: Payload = {}
  for (const it of items) {
    let val = ''
    if (it.fieldRef) val = fieldRefValue(pod, it.fieldRef.fieldPath, info)
    else if (it.resourceFieldRef) {
      const c =
        pod.spec?.containers.find((x) => x.name === it.resourceFieldRef?.containerName) ?? pod.spec?.containers[0]
      val = resourceFieldValue(
        c as Container,
        it.resourceFieldRef.resource,
        it.resourceFieldRef.divisor as string,
        info,
      )
    }
    out[it.path] = { data: val, mode: it.mode ?? defaultMode }
  }
  return out
}

async function projection(
  pod: Pod,
  s: VolumeProjection,
  src: VolumeSource,
  info: PodRuntimeInfo,
  defaultMode = 0o644,
  onWarning: (msg: string) => void,
): Promise<Payload> {
  const ns = pod.metadata?.namespace ?? 'default'
  if (s.configMap) {
    const data = await src.configMap(ns, s.configMap.name ?? '')
    if (!data && !s.configMap.optional) throw new VolumeError(`configmap "${s.configMap.name}" not found`)
    return keyPayload(data ?? {}, s.configMap.items, defaultMode)
  }
  if (s.secret) {
    const data = await src.secret(ns, s.secret.name ?? '')
    if (!data && !s.secret.optional) throw new VolumeError(`secret "${s.secret.name}" not found`)
    return keyPayload(data ?? {}, s.secret.items, defaultMode)
  }
  if (s.downwardAPI) return downwardPayload(pod, s.downwardAPI.items ?? [], defaultMode, info)
  if (s.serviceAccountToken) {
    const t = s.serviceAccountToken
    const token = await src.serviceAccountToken(pod, t.audience, t.expirationSeconds ?? 3607)
    if (token === undefined) {
      onWarning('the API server did not issue a ServiceAccount token; the token file is left out')
      return {}
    }
    return { [t.path]: { data: token, mode: defaultMode } }
  }
  return {}
}

/** Names of the pod's API-data volumes (configMap, secret, downwardAPI, projected). */
export function apiDataVolumes(pod: Pod): Set<string> {
  const out = new Set<string>()
  for (const v of pod.spec?.volumes ?? []) if (v.configMap || v.secret || v.downwardAPI || v.projected) out.add(v.name)
  return out
}

/**
 * Host mounts for a container's volumeMounts (subPath joined, created when missing). API-data
 * volumes are always mounted read-only, whatever the mount says (upstream since 1.10,
 * CVE-2017-1002102: a container must not rewrite what the kubelet projects).
 */
export function containerMounts(c: Container, volumes: Map<string, string>, apiData = new Set<string>()): Mount[] {
  const out: Mount[] = []
  for (const m of c.volumeMounts ?? []) {
    const base = volumes.get(m.name)
    if (!base) throw new VolumeError(`volume "${m.name}" used by container ${c.name} is not defined in the pod`)
    let source = base
    if (m.subPath) {
      source = join(base, m.subPath)
      if (!source.startsWith(`${base}/`)) throw new VolumeError(`subPath ${m.subPath} leaves its volume`)
      if (!existsSync(source)) mkdirSync(source, { recursive: true })
    }
    out.push({ source, target: m.mountPath, readOnly: !!m.readOnly || apiData.has(m.name) })
  }
  return out
}

/** Unmounts tmpfs volumes and removes the pod's directory (after its containers are gone). */
export async function tearDownPodDir(dir: string, mounter: Mounter): Promise<void> {
  if (!existsSync(dir)) return
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1])
    .filter((p) => p?.startsWith(`${dir}/`))
  for (const m of mounts.sort().reverse()) await mounter.unmount(m)
  rmSync(dir, { recursive: true, force: true })
}

/** Mounter over mount(8)/umount(8); the agent runs as root. */
export const hostMounter: Mounter = {
  isMounted(path) {
    return readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .some((l) => l.split(' ')[1] === path)
  },
  async mountTmpfs(path, size) {
    const opts = `mode=0755${size ? `,size=${size}` : ''}`
    const p = Bun.spawn(['mount', '-t', 'tmpfs', '-o', opts, 'tmpfs', path], { stderr: 'pipe' })
    if ((await p.exited) !== 0)
      throw new VolumeError(`mounting a tmpfs at ${path} failed: ${(await new Response(p.stderr).text()).trim()}`)
  },
  async unmount(path) {
    const p = Bun.spawn(['umount', '-l', path], { stderr: 'ignore' })
    await p.exited
  },
}
