// One informer per resource, shared by every controller that reads it (client-go's
// SharedInformerFactory), so N controllers watching pods cost one watch and one cache.
import type { Client, ResourceRef } from '../../client/types.ts'
import type { KubeObject } from '../../registry/types.ts'
import { byNodeName, byOwnerUid, Informer, orphansByNamespace } from './informer.ts'

export type GroupResource = Omit<ResourceRef, 'namespace'>

export interface InformerFactoryOptions {
  resyncMs?: number
  retryMs?: number
}

export class InformerFactory {
  private informers = new Map<string, Informer<any>>()
  private started = false

  constructor(
    readonly client: Client,
    private opts: InformerFactoryOptions = {},
  ) {}

  /** The shared informer of a resource, with the `namespace`, `owner` (owner uids), `orphans` (namespace
   * of objects without a controller) and, for pods,
   * `nodeName` indexes. Informers asked for after start() start at once. */
  informerFor<T extends KubeObject = KubeObject>(ref: GroupResource): Informer<T> {
    const key = `${ref.group}/${ref.version}/${ref.resource}`
    let inf = this.informers.get(key)
    if (!inf) {
      inf = new Informer<T>(
        this.client,
        { group: ref.group, version: ref.version, resource: ref.resource },
        {
          resyncMs: this.opts.resyncMs,
          retryMs: this.opts.retryMs,
        },
      )
      inf.addIndexer('owner', byOwnerUid)
      inf.addIndexer('orphans', orphansByNamespace)
      if (ref.group === '' && ref.resource === 'pods') inf.addIndexer('nodeName', byNodeName)
      this.informers.set(key, inf)
      if (this.started) inf.start()
    }
    return inf as Informer<T>
  }

  start(): void {
    this.started = true
    for (const inf of this.informers.values()) inf.start()
  }

  /** Resolves once every informer created so far has listed. */
  async waitForSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.hasSynced))
  }

  stop(): void {
    for (const inf of this.informers.values()) inf.stop()
  }
}
