// imagePullPolicy as the kubelet's image manager: Never uses only local images (ErrImageNeverPull),
// IfNotPresent pulls when missing, Always pulls every time. kubun runs where registries may be absent
// (air-gapped nodes load images from <dataDir>/agent/images): when an Always pull fails but the image
// is present locally, the local image is used and a warning event says so.
import type { Container } from 'kubernetes-types/core/v1'
import type { Runtime } from '../runtime/runtime.ts'
import type { Waiting } from './plan.ts'

export interface ImageEvents {
  normal(reason: string, message: string): void
  warning(reason: string, message: string): void
}

export class ImageError extends Error {
  constructor(readonly waiting: Waiting) {
    super(waiting.message)
  }
}

export function pullPolicy(c: Container): string {
  if (c.imagePullPolicy) return c.imagePullPolicy
  const image = c.image ?? ''
  const tagged = /:[^/]+$/.test(image) || image.includes('@')
  return !tagged || image.endsWith(':latest') ? 'Always' : 'IfNotPresent'
}

type Auth = { username?: string; password?: string; serveraddress?: string }

/** Credentials for the image's registry from the pod's imagePullSecrets (dockerconfigjson). */
export function registryAuth(image: string, secrets: Record<string, string>[]): Auth | undefined {
  const first = image.split('/')[0]
  const host = image.includes('/') && /[.:]|^localhost$/.test(first) ? first : 'docker.io'
  for (const s of secrets) {
    const json = s['.dockerconfigjson'] ?? s['.dockercfg']
    if (!json) continue
    let auths: Record<string, { username?: string; password?: string; auth?: string }>
    try {
      const parsed = JSON.parse(json)
      auths = parsed.auths ?? parsed
    } catch {
      continue
    }
    for (const [k, v] of Object.entries(auths)) {
      const keyHost = k.replace(/^https?:\/\//, '').split('/')[0]
      const matches = keyHost === host || (host === 'docker.io' && keyHost === 'index.docker.io')
      if (!matches) continue
      if (v.username) return { username: v.username, password: v.password, serveraddress: k }
      if (v.auth) {
        const [username, ...rest] = Buffer.from(v.auth, 'base64').toString('utf8').split(':')
        return { username, password: rest.join(':'), serveraddress: k }
      }
    }
  }
  return undefined
}

export async function ensureImage(
  rt: Runtime,
  c: Container,
  pullSecrets: () => Promise<Record<string, string>[]>,
  ev: ImageEvents,
  previousFailures: number,
): Promise<void> {
  const image = c.image ?? ''
  const policy = pullPolicy(c)
  const present = await rt.imageId(image)
  if (policy === 'Never') {
    if (present) return
    throw new ImageError({
      reason: 'ErrImageNeverPull',
      message: `Container image "${image}" is not present with pull policy of Never`,
    })
  }
  if (present && policy === 'IfNotPresent') {
    ev.normal('Pulled', `Container image "${image}" already present on machine`)
    return
  }
  ev.normal('Pulling', `Pulling image "${image}"`)
  const t0 = Date.now()
  try {
    await rt.pull(image, registryAuth(image, await pullSecrets()))
    ev.normal('Pulled', `Successfully pulled image "${image}" in ${Date.now() - t0}ms`)
  } catch (e) {
    const why = (e as Error).message
    if (present) {
      ev.warning('Failed', `Failed to pull image "${image}": ${why}; using the local copy`)
      return
    }
    ev.warning('Failed', `Failed to pull image "${image}": ${why}`)
    throw new ImageError({
      reason: previousFailures > 0 ? 'ImagePullBackOff' : 'ErrImagePull',
      message:
        previousFailures > 0
          ? `Back-off pulling image "${image}": ${why}`
          : `failed to pull image "${image}": ${why} (no registry reachable? load it with docker load or put a docker save archive in <data-dir>/agent/images)`,
    })
  }
}
