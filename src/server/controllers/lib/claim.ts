// Ownership of dependents (upstream ControllerRefManager): a controller owns objects whose controller
// reference has its uid, and adopts orphans its selector matches — with a strategic-merge patch that
// adds its reference and names the orphan's uid, so a replaced object of the same name is not adopted.
import type { Client, ResourceRef } from '../../client/types.ts'
import type { KubeObject } from '../../registry/types.ts'
import { controllerOf } from './object-key.ts'
import { controllerRef, type OwnerOf } from './pods.ts'

export async function claim<T extends KubeObject>(
  client: Client,
  ref: ResourceRef,
  owner: OwnerOf,
  candidates: T[],
  matches: (o: T) => boolean,
): Promise<T[]> {
  const uid = owner.metadata?.uid
  const owned: T[] = []
  for (const o of candidates) {
    const c = controllerOf(o)
    if (c) {
      if (c.uid === uid) owned.push(o)
      continue
    }
    if (owner.metadata?.deletionTimestamp || o.metadata?.deletionTimestamp || !matches(o)) continue
    try {
      const adopted = await client.patch<T>(ref, o.metadata!.name!, 'strategic', {
        metadata: { ownerReferences: [controllerRef(owner)], uid: o.metadata?.uid },
      })
      owned.push(adopted)
    } catch (err) {
      const code = (err as { code?: number }).code
      if (code !== 404 && code !== 409 && code !== 422) throw err
    }
  }
  return owned
}
