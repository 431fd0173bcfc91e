// ConfigMaps, Secrets, ServiceAccount tokens and PV paths for env and volumes, read through the API
// client as the node (the node role may read them). ConfigMaps and Secrets come from per-object
// watches (watched-objects.ts), so the 10 s volume refresh of every pod costs no API request.
import type { Pod } from 'kubernetes-types/core/v1'
import type { Client } from '../../server/client/types.ts'
import type { VolumeSource } from './volumes.ts'
import { WatchedObjects } from './watched-objects.ts'

const CLAIM_TTL_MS = 300_000
const core = (resource: string, namespace?: string) => ({ group: '', version: 'v1', resource, namespace })

async function getOrUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p
  } catch (e) {
    if ((e as { code?: number }).code === 404) return undefined
    throw e
  }
}

export function objectSource(client: Client): VolumeSource & { stop(): void; watched: WatchedObjects } {
  const watched = new WatchedObjects(client)
  let master: { ip?: string; at: number } | undefined
  const tokens = new Map<string, { token: string; refreshAt: number }>()
  /** bound claims → host path: a claim's volumeName never changes once bound, so the 10 s volume
   * refresh need not GET the claim and its PV each time (re-read now and then all the same) */
  const claims = new Map<string, { path: string; at: number }>()
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
    watched,
    stop: () => watched.stop(),
    async masterServiceIP() {
      if (master && Date.now() - master.at < 60_000) return master.ip
      const svc = await getOrUndefined(
        client.get<{ spec?: { clusterIP?: string } }>(core('services', 'default'), 'kubernetes'),
      ).catch(() => undefined)
      master = { ip: svc?.spec?.clusterIP, at: Date.now() }
      return master.ip
    },
    async configMap(ns, name) {
      const cm = await watched.get<{ data?: Record<string, string>; binaryData?: Record<string, string> }>(
        'configmaps',
        ns,
        name,
      )
      if (!cm) return undefined
      const bin = Object.fromEntries(
        Object.entries(cm.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('latin1')]),
      )
      return { ...bin, ...(cm.data ?? {}) }
    },
    async secret(ns, name) {
      const s = await watched.get<{ data?: Record<string, string>; stringData?: Record<string, string> }>(
        'secrets',
        ns,
        name,
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
      const hit = claims.get(`${ns}/${claim}`)
      if (hit && Date.now() - hit.at < CLAIM_TTL_MS) return hit.path
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
      claims.set(`${ns}/${claim}`, { path, at: Date.now() })
      for (const [k, v] of claims) if (Date.now() - v.at > CLAIM_TTL_MS) claims.delete(k)
      return path
    },
  }
}
