// ConfigMaps, Secrets, ServiceAccount tokens and PV paths for env and volumes, read through the API
// client as the node (the node role may read them).
import type { Pod } from 'kubernetes-types/core/v1'
import type { Client } from '../../server/client/types.ts'
import type { VolumeSource } from './volumes.ts'

const core = (resource: string, namespace?: string) => ({ group: '', version: 'v1', resource, namespace })

async function getOrUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p
  } catch (e) {
    if ((e as { code?: number }).code === 404) return undefined
    throw e
  }
}

export function objectSource(client: Client): VolumeSource {
  let master: { ip?: string; at: number } | undefined
  const tokens = new Map<string, { token: string; refreshAt: number }>()
  async function requestToken(pod: Pod, audience: string | undefined, expirationSeconds: number) {
    const sa = pod.spec?.serviceAccountName || 'default'

    try {
      const r = await client.createSubresource<{ status?: { token?: string } }>(
        core('serviceaccounts', pod.metadata?.namespace),
        sa,
        'token',
        {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: {
            audiences: audience ? [audience] : [],
            expirationSeconds,
            boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.metadata?.name, uid: pod.metadata?.uid },
          },
        } as never,
      )
      return r.status?.token
    } catch {
      return undefined
    }
  }
  return {
    async masterServiceIP() {
      if (master && Date.now() - master.at < 60_000) return master.ip
      const svc = await getOrUndefined(
        client.get<{ spec?: { clusterIP?: string } }>(core('services', 'default'), 'kubernetes'),
      ).catch(() => undefined)
      master = { ip: svc?.spec?.clusterIP, at: Date.now() }
      return master.ip
    },
    async configMap(ns, name) {
      const cm = await getOrUndefined(
        client.get<{ data?: Record<string, string>; binaryData?: Record<string, string> }>(
          core('configmaps', ns),
          name,
        ),
      )
      if (!cm) return undefined
      const bin = Object.fromEntries(
        Object.entries(cm.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('latin1')]),
      )
      return { ...bin, ...(cm.data ?? {}) }
    },
    async secret(ns, name) {
      const s = await getOrUndefined(
        client.get<{ data?: Record<string, string>; stringData?: Record<string, string> }>(core('secrets', ns), name),
      )
      if (!s) return undefined
      const out: Record<string, string> = {}
      for (const [k, v] of Object.entries(s.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8')
      return { ...out, ...(s.stringData ?? {}) }
    },
    async serviceAccountToken(pod: Pod, audience, expirationSeconds) {
      // As the kubelet's token manager: reuse a token until 80% of its lifetime has passed.
      const key = `${pod.metadata?.uid}/${audience ?? ''}`
      const hit = tokens.get(key)
      if (hit && Date.now() < hit.refreshAt) return hit.token
      const token = await requestToken(pod, audience, expirationSeconds)
      if (token) tokens.set(key, { token, refreshAt: Date.now() + expirationSeconds * 800 })
      for (const [k, v] of tokens) if (Date.now() > v.refreshAt + expirationSeconds * 1000) tokens.delete(k)
      return token
    },
    async claimPath(ns, claim) {
      const pvc = await client.get<{ spec?: { volumeName?: string } }>(core('persistentvolumeclaims', ns), claim)
      const pvName = pvc.spec?.volumeName
      if (!pvName)
        throw Object.assign(new Error(`persistentvolumeclaim "${claim}" is not bound yet`), {
          reason: 'ContainerCreating',
        })
      const pv = await client.get<{ spec?: { hostPath?: { path: string }; local?: { path: string } } }>(
        core('persistentvolumes'),
        pvName,
      )
      const path = pv.spec?.hostPath?.path ?? pv.spec?.local?.path
      if (!path) throw new Error(`persistentvolume "${pvName}" is neither hostPath nor local; kubun cannot mount it`)
      const { mkdirSync } = await import('node:fs')
      mkdirSync(path, { recursive: true })
      return path
    },
  }
}
