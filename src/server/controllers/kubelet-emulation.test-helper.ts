// Stands in for a kubelet in controller tests: binds a pod to a node and sets its status the way a
// kubelet would report Running+Ready, Succeeded or Failed.
import type { Client } from '../client/types.ts'
import { nowRfc3339 } from './lib/pods.ts'
import { R } from './lib/resources.ts'

let ip = 10
export async function setPodPhase(
  client: Client,
  namespace: string,
  name: string,
  phase: 'Running' | 'Succeeded' | 'Failed',
  ready = phase === 'Running',
): Promise<void> {
  const ref = { ...R.pods, namespace }
  const pod = await client.get<any>(ref, name)
  if (!pod.spec.nodeName) {
    await client.createSubresource(ref, name, 'binding', {
      metadata: { name },
      target: { kind: 'Node', name: 'node-1' },
    })
  }
  const now = nowRfc3339()
  const status = {
    phase,
    podIP: pod.status?.podIP ?? `10.42.0.${ip++ % 250}`,
    hostIP: '192.168.0.1',
    startTime: now,
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
      { type: 'Initialized', status: 'True', lastTransitionTime: now },
      { type: 'ContainersReady', status: ready ? 'True' : 'False', lastTransitionTime: now },
      { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now },
    ],
  }
  await client.patch(ref, name, 'merge', { status }, { subresource: 'status' })
}

/** Finishes graceful deletions at once, as a kubelet does after stopping the containers. */
export function finishDeletions(client: Client): () => void {
  const h = client.watch<any>({ ...R.pods }, { resourceVersion: '0' }, (e) => {
    const p = e.object
    if (e.type === 'DELETED' || !p.metadata?.deletionTimestamp) return
    if ((p.metadata.finalizers ?? []).length) return
    client
      .delete({ ...R.pods, namespace: p.metadata.namespace }, p.metadata.name, {
        gracePeriodSeconds: 0,
        preconditions: { uid: p.metadata.uid },
      })
      .catch(() => {})
  })
  return () => h.stop()
}
