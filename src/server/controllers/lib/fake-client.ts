// An in-memory Client for unit tests of the controller library: objects by key, a global revision,
// watches from a resourceVersion, and knobs to fail a watch with 410 or an ERROR event.
import { ApiError } from '../../../shared/errors.ts'
import type { Client, ListResult, ResourceRef, WatchEvent, WatchHandle } from '../../client/types.ts'
import type { KubeObject } from '../../registry/types.ts'

const collection = (ref: ResourceRef) => `${ref.group}/${ref.resource}`

export class FakeClient implements Client {
  rv = 1
  objects = new Map<string, Map<string, KubeObject>>()
  history: { coll: string; e: WatchEvent }[] = []
  watchers = new Set<{ coll: string; ns?: string; on: (e: WatchEvent) => void; end: () => void }>()
  /** the next watch call throws 410 Expired */
  expireNextWatch = false
  lists = 0
  watches = 0

  private coll(ref: ResourceRef): Map<string, KubeObject> {
    let m = this.objects.get(collection(ref))
    if (!m) this.objects.set(collection(ref), (m = new Map()))
    return m
  }

  private emit(ref: ResourceRef, e: WatchEvent): void {
    this.history.push({ coll: collection(ref), e })
    for (const w of this.watchers)
      if (w.coll === collection(ref) && (!w.ns || w.ns === e.object.metadata?.namespace)) w.on(structuredClone(e))
  }

  /** ends every open watch with an ERROR event */
  breakWatches(): void {
    for (const w of [...this.watchers]) {
      w.on({ type: 'ERROR', object: { kind: 'Status', code: 410 } as KubeObject })
      w.end()
    }
  }

  async get<T>(ref: ResourceRef, name: string): Promise<T> {
    const o = this.coll(ref).get(`${ref.namespace ?? ''}/${name}`)
    if (!o) throw new ApiError(404, 'NotFound', `${ref.resource} "${name}" not found`)
    return structuredClone(o) as T
  }

  async list<T>(ref: ResourceRef): Promise<ListResult<T>> {
    this.lists++
    const items = [...this.coll(ref).values()].filter((o) => !ref.namespace || o.metadata?.namespace === ref.namespace)
    return { items: structuredClone(items) as T[], resourceVersion: String(this.rv) }
  }

  watch<T>(ref: ResourceRef, opts: { resourceVersion?: string }, onEvent: (e: WatchEvent<T>) => void): WatchHandle {
    this.watches++
    if (this.expireNextWatch) {
      this.expireNextWatch = false
      throw new ApiError(410, 'Expired', 'too old resource version')
    }
    let end!: () => void
    const done = new Promise<void>((r) => (end = r))
    const w = { coll: collection(ref), ns: ref.namespace, on: onEvent as (e: WatchEvent) => void, end: () => {} }
    w.end = () => {
      this.watchers.delete(w)
      end()
    }
    const from = Number(opts.resourceVersion || 0)
    for (const h of this.history)
      if (h.coll === w.coll && Number(h.e.object.metadata?.resourceVersion) > from) w.on(structuredClone(h.e))
    this.watchers.add(w)
    return { stop: w.end, done }
  }

  async create<T>(ref: ResourceRef, obj: T): Promise<T> {
    const o = structuredClone(obj) as KubeObject
    const ns = ref.namespace ?? o.metadata?.namespace
    const key = `${ns ?? ''}/${o.metadata?.name}`
    if (this.coll(ref).has(key))
      throw new ApiError(409, 'AlreadyExists', `${ref.resource} "${o.metadata?.name}" already exists`)
    o.metadata = { ...o.metadata, namespace: ns, uid: crypto.randomUUID(), resourceVersion: String(++this.rv) }
    this.coll(ref).set(key, o)
    this.emit(ref, { type: 'ADDED', object: o })
    return structuredClone(o) as T
  }

  async update<T>(ref: ResourceRef, obj: T): Promise<T> {
    const o = structuredClone(obj) as KubeObject
    const ns = ref.namespace ?? o.metadata?.namespace
    const key = `${ns ?? ''}/${o.metadata?.name}`
    const old = this.coll(ref).get(key)
    if (!old) throw new ApiError(404, 'NotFound', `${ref.resource} "${o.metadata?.name}" not found`)
    if (o.metadata?.resourceVersion && o.metadata.resourceVersion !== old.metadata?.resourceVersion)
      throw new ApiError(409, 'Conflict', 'the object has been modified')
    o.metadata = { ...o.metadata, namespace: ns, uid: old.metadata?.uid, resourceVersion: String(++this.rv) }
    this.coll(ref).set(key, o)
    this.emit(ref, { type: 'MODIFIED', object: o })
    return structuredClone(o) as T
  }

  async patch<T>(ref: ResourceRef, name: string, _type: string, patch: any): Promise<T> {
    const cur = await this.get<KubeObject>(ref, name)
    const merged = { ...cur, ...patch, metadata: { ...cur.metadata, ...patch.metadata } }
    delete merged.metadata.resourceVersion
    return this.update(ref, merged) as Promise<T>
  }

  async delete(ref: ResourceRef, name: string): Promise<KubeObject> {
    const key = `${ref.namespace ?? ''}/${name}`
    const old = this.coll(ref).get(key)
    if (!old) throw new ApiError(404, 'NotFound', `${ref.resource} "${name}" not found`)
    this.coll(ref).delete(key)
    const o = { ...old, metadata: { ...old.metadata, resourceVersion: String(++this.rv) } }
    this.emit(ref, { type: 'DELETED', object: o })
    return o
  }

  async createSubresource<T>(): Promise<T> {
    throw new ApiError(405, 'MethodNotAllowed', 'not supported by the fake client')
  }
}
