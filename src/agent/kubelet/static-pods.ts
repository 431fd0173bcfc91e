// Static pods (the kubelet's file source): every Pod manifest (YAML or JSON) in the manifest folder runs
// on this node without the scheduler, named `<name>-<node>` with a uid derived from the manifest, and is
// mirrored into the API as a read-only mirror pod (annotation kubernetes.io/config.mirror) so kubectl
// shows it. The folder is re-read every 20 s: edited manifests restart, removed ones stop.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Pod } from 'kubernetes-types/core/v1'
import { parse } from 'yaml'
import type { Client } from '../../server/client/types.ts'
import { logger } from '../../shared/log.ts'

const log = logger('static-pods')
const MIRROR = 'kubernetes.io/config.mirror'

export interface StaticPodSink {
  upsert(pod: Pod): void
  remove(pod: Pod): void
}

/** A manifest → the static pod as the kubelet runs it. Pure. */
export function staticPod(manifest: Pod, nodeName: string, source: string): Pod {
  const hash = createHash('md5').update(JSON.stringify(manifest)).update(nodeName).digest('hex')
  const uid = `${hash.slice(0, 8)}-${hash.slice(8, 12)}-${hash.slice(12, 16)}-${hash.slice(16, 20)}-${hash.slice(20, 32)}`
  return {
    ...manifest,
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...manifest.metadata,
      name: `${manifest.metadata?.name}-${nodeName}`,
      namespace: manifest.metadata?.namespace ?? 'default',
      uid,
      annotations: {
        ...manifest.metadata?.annotations,
        'kubernetes.io/config.hash': hash,
        'kubernetes.io/config.source': 'file',
        'kubernetes.io/config.seen': source,
      },
    },
    spec: {
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      ...manifest.spec,
      containers: manifest.spec?.containers ?? [],
      nodeName,
    },
  }
}

export class StaticPods {
  private pods = new Map<string, Pod>()
  private timer?: ReturnType<typeof setInterval>

  constructor(
    private readonly dir: string,
    private readonly nodeName: string,
    private readonly client: Client,
    private readonly sink: StaticPodSink,
  ) {}

  isStatic(pod: Pod): boolean {
    return this.pods.has(pod.metadata?.uid ?? '')
  }

  async start(): Promise<void> {
    await this.scan()
    this.timer = setInterval(() => void this.scan(), 20_000)
  }

  stop(): void {
    clearInterval(this.timer)
  }

  private read(): Pod[] {
    if (!existsSync(this.dir)) return []
    const out: Pod[] = []
    for (const f of readdirSync(this.dir).sort()) {
      if (!/\.(ya?ml|json)$/.test(f)) continue
      try {
        const m = parse(readFileSync(join(this.dir, f), 'utf8')) as Pod
        if (m?.kind !== 'Pod' || !m.metadata?.name) throw new Error('not a Pod with a name')
        out.push(staticPod(m, this.nodeName, f))
      } catch (e) {
        log.warn('skipping a static pod manifest', { file: join(this.dir, f), err: e })
      }
    }
    return out
  }

  private async scan(): Promise<void> {
    const now = new Map(this.read().map((p) => [p.metadata?.uid ?? '', p]))
    for (const [uid, p] of this.pods)
      if (!now.has(uid)) {
        this.pods.delete(uid)
        this.sink.remove(p)
        await this.deleteMirror(p)
      }
    for (const [uid, p] of now)
      if (!this.pods.has(uid)) {
        this.pods.set(uid, p)
        this.sink.upsert(p)
        await this.createMirror(p)
      }
  }

  private async createMirror(p: Pod): Promise<void> {
    const ref = { group: '', version: 'v1', resource: 'pods', namespace: p.metadata?.namespace }
    const { uid: _uid, ...meta } = p.metadata ?? {}
    const mirror = {
      ...p,
      metadata: {
        ...meta,
        annotations: { ...meta.annotations, [MIRROR]: meta.annotations?.['kubernetes.io/config.hash'] },
      },
      status: undefined,
    }
    try {
      await this.deleteMirror(p, true)
      await this.client.create(ref, mirror as never)
    } catch (e) {
      if ((e as { code?: number }).code !== 409) log.warn('mirror pod not created', { pod: p.metadata?.name, err: e })
    }
  }

  private async deleteMirror(p: Pod, onlyStale = false): Promise<void> {
    const ref = { group: '', version: 'v1', resource: 'pods', namespace: p.metadata?.namespace }
    try {
      const cur = await this.client.get<Pod>(ref, p.metadata?.name ?? '')
      if (onlyStale && cur.metadata?.annotations?.[MIRROR] === p.metadata?.annotations?.['kubernetes.io/config.hash'])
        throw Object.assign(new Error('current'), { code: 409 })
      await this.client.delete(ref, p.metadata?.name ?? '', { gracePeriodSeconds: 0 })
    } catch (e) {
      const code = (e as { code?: number }).code
      if (code !== 404 && code !== 409) throw e
      if (code === 409) throw e
    }
  }
}
