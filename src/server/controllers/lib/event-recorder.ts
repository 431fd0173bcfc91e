// core/v1 Events as upstream's EventRecorder writes them, with its aggregation: an event with the same
// involved object, type, reason and message as one already written bumps that Event's `count` and
// `lastTimestamp` instead of creating another. Events expire after --event-ttl (one hour): the store
// writes every Event with a datastore lease. Writes are fire-and-forget: a lost event never fails a
// reconcile.
import { logger } from '../../../shared/log.ts'
import type { Client } from '../../client/types.ts'
import type { KubeObject } from '../../registry/types.ts'
import { R } from './resources.ts'

const log = logger('events')
const CACHE_MAX = 4096

export type EventType = 'Normal' | 'Warning'

export interface EventRecorder {
  event(obj: KubeObject, type: EventType, reason: string, message: string): void
  /** resolves when every write started so far has finished (tests) */
  flush(): Promise<void>
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

export function eventRecorder(client: Client, component: string, host?: string): EventRecorder {
  const seen = new Map<string, { namespace: string; name: string; count: number }>()
  const pending = new Set<Promise<void>>()
  // writes of the same event are serialized so a burst aggregates instead of racing to create
  const chains = new Map<string, Promise<void>>()

  async function write(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const m = obj.metadata ?? {}
    const namespace = m.namespace || 'default'
    const cacheKey = [m.uid, m.namespace, m.name, obj.kind, type, reason, message].join('\0')
    const now = Date.now()
    const prev = seen.get(cacheKey)
    if (prev) {
      prev.count++
      try {
        await client.patch({ ...R.events, namespace: prev.namespace }, prev.name, 'merge', {
          count: prev.count,
          lastTimestamp: rfc3339(now),
        })
        return
      } catch (err) {
        if ((err as { code?: number }).code !== 404) throw err
        seen.delete(cacheKey)
      }
    }
    const name = `${m.name}.${(BigInt(now) * 1_000_000n + BigInt(Math.floor(Math.random() * 1e6))).toString(16)}`
    const ev: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        kind: obj.kind,
        apiVersion: obj.apiVersion,
        namespace: m.namespace,
        name: m.name,
        uid: m.uid,
        resourceVersion: m.resourceVersion,
      },
      type,
      reason,
      message,
      source: { component, ...(host ? { host } : {}) },
      reportingComponent: component,
      reportingInstance: host ?? '',
      firstTimestamp: rfc3339(now),
      lastTimestamp: rfc3339(now),
      eventTime: null,
      count: 1,
    }
    // JSON round trip drops undefined fields, which the schema check refuses
    await client.create({ ...R.events, namespace }, JSON.parse(JSON.stringify(ev)))
    if (seen.size >= CACHE_MAX) seen.delete(seen.keys().next().value!)
    seen.set(cacheKey, { namespace, name, count: 1 })
  }

  return {
    event(obj, type, reason, message) {
      const m = obj.metadata ?? {}
      const chainKey = [m.uid, m.name, reason, message].join('\0')
      const prev = chains.get(chainKey) ?? Promise.resolve()
      const p: Promise<void> = prev
        .then(() => write(obj, type, reason, message))
        .catch((err) => log.debug('event not written', { reason, object: m.name, err }))
        .finally(() => {
          pending.delete(p)
          if (chains.get(chainKey) === p) chains.delete(chainKey)
        })
      chains.set(chainKey, p)
      pending.add(p)
    },
    async flush() {
      await Promise.all([...pending])
    },
  }
}
