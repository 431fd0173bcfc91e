// events.k8s.io/v1 Event ⇄ core/v1 Event (k8s.io/kubernetes pkg/apis/events/v1 conversion): both APIs
// serve the same objects, stored in the core shape under /registry/events/, so `kubectl get events`
// and `kubectl describe` see what controllers record through either API.
import type { KubeObject } from '../../../registry/types.ts'

/** events.k8s.io field ↔ core field, where the names differ */
const renames: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
]

function rename(obj: KubeObject, pairs: [string, string][], apiVersion: string): KubeObject {
  const out: KubeObject = { apiVersion, kind: 'Event' }
  const map = new Map(pairs)
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue
    out[map.get(k) ?? k] = v
  }
  return out
}

export function eventsV1ToCore(obj: KubeObject): KubeObject {
  return rename(obj, renames, 'v1')
}

export function coreToEventsV1(obj: KubeObject): KubeObject {
  if (obj.apiVersion === 'events.k8s.io/v1') return obj
  return rename(
    obj,
    renames.map(([a, b]) => [b, a]),
    'events.k8s.io/v1',
  )
}

export const eventsConversion = { toStorage: eventsV1ToCore, fromStorage: coreToEventsV1 }
