// Serves CustomResourceDefinitions: each CRD's served versions become ResourceDefs in the registry (so
// discovery, OpenAPI and the REST paths update live) and its status gets acceptedNames plus the
// NamesAccepted and Established conditions, as apiextensions-apiserver's naming and establishing
// controllers. Driven both by writes through the API (so `kubectl apply` of a CRD followed at once by its
// custom resources works) and by a watch (CRDs existing at start, writes from other servers).

import { logger } from '../../../shared/log.ts'
import type { UserInfo } from '../../auth/types.ts'
import type { WatchHandle } from '../../client/types.ts'
import type { KubeObject, Registry, ResourceDef } from '../../registry/index.ts'
import type { ResourceStore } from '../store/types.ts'

const log = logger('crds')
const SYSTEM: UserInfo = { name: 'system:kube-apiserver', groups: ['system:masters'] }

const defKey = (d: ResourceDef) => `${d.group}/${d.version}/${d.plural}`

export class CrdEstablisher {
  private served = new Map<string, ResourceDef[]>()
  private watch?: WatchHandle

  constructor(
    private registry: Registry,
    private crdStore: ResourceStore,
    private defsFromCrd: (crd: KubeObject) => ResourceDef[],
    private storeFor: (def: ResourceDef) => ResourceStore,
  ) {}

  async start(): Promise<void> {
    const list = await this.crdStore.list(undefined, {})
    for (const crd of list.items) await this.apply(crd)
    this.watch = this.crdStore.watch(undefined, { resourceVersion: list.resourceVersion }, (e) => {
      const crd = e.object as KubeObject
      if (e.type === 'ADDED' || e.type === 'MODIFIED')
        void this.apply(crd).catch((err) => log.warn('CRD sync failed', { name: crd.metadata?.name, err }))
      else if (e.type === 'DELETED') void this.removed(crd)
    })
  }

  stop(): void {
    this.watch?.stop()
  }

  /** Registers the CRD's served versions and establishes it. Idempotent. */
  async apply(crd: KubeObject): Promise<void> {
    const name = crd.metadata?.name ?? ''
    if (crd.metadata?.deletionTimestamp) return this.removed(crd)
    let defs: ResourceDef[]
    try {
      defs = this.defsFromCrd(crd)
    } catch (err) {
      log.warn('cannot serve CRD', { name, err })
      return
    }
    const old = this.served.get(name) ?? []
    const keep = new Set(defs.map(defKey))
    for (const d of old) if (!keep.has(defKey(d))) this.registry.remove(d.group, d.version, d.plural)
    for (const d of defs) {
      const cur = this.registry.get(d.group, d.version, d.plural)
      if (cur !== d) this.registry.add(d)
    }
    this.served.set(name, defs)
    await this.establish(crd)
  }

  private async establish(crd: KubeObject): Promise<void> {
    const status = crd.status ?? {}
    const names = crd.spec?.names ?? {}
    const established = (status.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True')
    const storage = (crd.spec?.versions ?? []).find((v: any) => v.storage)?.name
    const stored: string[] = status.storedVersions ?? []
    if (
      established &&
      JSON.stringify(status.acceptedNames) === JSON.stringify(names) &&
      (!storage || stored.includes(storage))
    ) {
      return
    }
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
    const cond = (type: string, reason: string, message: string) => ({
      type,
      status: 'True',
      lastTransitionTime: now,
      reason,
      message,
    })
    const next: KubeObject = {
      ...crd,
      status: {
        ...status,
        conditions: [
          cond('NamesAccepted', 'NoConflicts', 'no conflicts found'),
          cond('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
        ],
        acceptedNames: names,
        storedVersions: storage && !stored.includes(storage) ? [...stored, storage] : stored,
      },
    }
    delete next.metadata?.managedFields
    try {
      await this.crdStore.update(undefined, crd.metadata!.name!, next, { user: SYSTEM, warnings: [] }, 'status')
    } catch (err: any) {
      // A newer write raced us: the watch brings the newer object and we try again then.
      if (err?.code !== 409 && err?.code !== 404) throw err
    }
  }

  /** Stops serving the CRD's kinds and deletes their objects, as upstream's CRD finalizer does. */
  async removed(crd: KubeObject): Promise<void> {
    const name = crd.metadata?.name ?? ''
    const defs = this.served.get(name)
    if (!defs) return
    this.served.delete(name)
    for (const d of defs) {
      try {
        await this.storeFor(d).deleteCollection(undefined, {}, {}, { user: SYSTEM, warnings: [] })
      } catch (err) {
        log.debug('cleaning custom resources failed', { name, err })
      }
      this.registry.remove(d.group, d.version, d.plural)
    }
  }
}
