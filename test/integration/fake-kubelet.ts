// Plays the kubelet for controller tests that run a server without nodes: every new pod becomes
// Running and Ready (or Succeeded when its restartPolicy is not Always) with a pod IP, and graceful
// deletions finish at once. Pods annotated `kubun.test/ready: "false"` stay Running but not Ready.
import { httpClient } from '../../src/server/client/http.ts'
import type { Client, WatchHandle } from '../../src/server/client/types.ts'

const pods = { group: '', version: 'v1', resource: 'pods' }
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')

export interface FakeKubelet {
  client: Client
  setReady(namespace: string, name: string, ready: boolean): Promise<void>
  stop(): void
}

export function startFakeKubelet(kubeconfig: string): FakeKubelet {
  const client = httpClient(kubeconfig)
  let ip = 2
  const handled = new Set<string>()
  const status = (p: any, ready: boolean) => {
    const finished = (p.spec?.restartPolicy ?? 'Always') !== 'Always'
    const t = now()
    return {
      phase: finished ? 'Succeeded' : 'Running',
      podIP: p.status?.podIP ?? `10.42.0.${ip++ % 250}`,
      podIPs: undefined,
      hostIP: '127.0.0.1',
      startTime: p.status?.startTime ?? t,
      conditions: [
        { type: 'Initialized', status: 'True', lastTransitionTime: t },
        { type: 'Ready', status: ready && !finished ? 'True' : 'False', lastTransitionTime: t },
        { type: 'ContainersReady', status: ready && !finished ? 'True' : 'False', lastTransitionTime: t },
      ],
    }
  }
  const patch = (p: any, ready: boolean) =>
    client
      .patch(
        { ...pods, namespace: p.metadata.namespace },
        p.metadata.name,
        'merge',
        { status: status(p, ready) },
        { subresource: 'status' },
      )
      .catch(() => {})
  let w: WatchHandle | undefined
  let stopped = false
  const run = () => {
    if (stopped) return
    w = client.watch<any>(pods, { resourceVersion: '0' }, (e) => {
      const p = e.object
      if (e.type === 'DELETED' || !p?.metadata) return
      const ns = p.metadata.namespace
      if (p.metadata.deletionTimestamp) {
        if ((p.metadata.finalizers ?? []).length === 0)
          client
            .delete({ ...pods, namespace: ns }, p.metadata.name, {
              gracePeriodSeconds: 0,
              preconditions: { uid: p.metadata.uid },
            })
            .catch(() => {})
        return
      }
      if (handled.has(p.metadata.uid)) return
      handled.add(p.metadata.uid)
      void patch(p, p.metadata.annotations?.['kubun.test/ready'] !== 'false')
    })
    w.done.then(() => setTimeout(run, 100))
  }
  run()
  return {
    client,
    async setReady(namespace, name, ready) {
      const p = await client.get<any>({ ...pods, namespace }, name)
      await patch(p, ready)
    },
    stop() {
      stopped = true
      w?.stop()
    },
  }
}
