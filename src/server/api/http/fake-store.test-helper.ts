// A tiny in-memory ResourceStore for the HTTP layer's unit tests (no selectors, no paging).
import { alreadyExists, conflict, expired, notFound } from '../../../shared/errors.ts'
import type { WatchEvent } from '../../client/types.ts'
import { groupVersion, type KubeObject, type ResourceDef } from '../../registry/types.ts'
import type { ResourceStore } from '../store/types.ts'

let rv = 100

export function fakeStorage() {
  const stores = new Map<string, ResourceStore>()
  return {
    storeFor(def: ResourceDef): ResourceStore {
      const key = `${def.group}/${def.plural}`
      let s = stores.get(key)
      if (!s) stores.set(key, (s = fakeStore(def)))
      return s
    },
  }
}

export function fakeStore(def: ResourceDef): ResourceStore {
  const objs = new Map<string, KubeObject>()
  const watchers = new Set<(e: WatchEvent) => void>()
  const k = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`
  const emit = (type: WatchEvent['type'], object: KubeObject) => {
    for (const w of watchers) w({ type, object })
  }
  return {
    def,
    async get(ns, name) {
      const o = objs.get(k(ns, name))
      if (!o) throw notFound(def.plural, def.group, name)
      return o
    },
    async list(ns) {
      const items = [...objs.values()].filter((o) => !ns || o.metadata?.namespace === ns)
      return { items, resourceVersion: String(rv) }
    },
    watch(_ns, opts, onEvent) {
      if (opts.resourceVersion === '1') throw expired()
      watchers.add(onEvent)
      let stop!: () => void
      const done = new Promise<void>((r) => (stop = r))
      return {
        stop() {
          watchers.delete(onEvent)
          stop()
        },
        done,
      }
    },
    async create(ns, obj, ctx) {
      const name = obj.metadata?.name ?? ''
      if (objs.has(k(ns, name))) throw alreadyExists(def.plural, def.group, name)
      const o = {
        apiVersion: groupVersion(def),
        kind: def.kind,
        ...obj,
        metadata: { ...obj.metadata, uid: `uid-${name}`, resourceVersion: String(++rv) },
      }
      if (!ctx.dryRun) {
        objs.set(k(ns, name), o)
        emit('ADDED', o)
      }
      return o
    },
    async update(ns, name, obj) {
      const old = objs.get(k(ns, name))
      if (!old) throw notFound(def.plural, def.group, name)
      if (obj.metadata?.resourceVersion && obj.metadata.resourceVersion !== old.metadata?.resourceVersion) {
        throw conflict(def.plural, def.group, name)
      }
      const o = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++rv) } }
      objs.set(k(ns, name), o)
      emit('MODIFIED', o)
      return { object: o, created: false }
    },
    async patch(ns, name, _type, body: any) {
      const old = objs.get(k(ns, name))
      if (!old) throw notFound(def.plural, def.group, name)
      const o = { ...old, ...body, metadata: { ...old.metadata, ...body.metadata, resourceVersion: String(++rv) } }
      objs.set(k(ns, name), o)
      emit('MODIFIED', o)
      return o
    },
    async delete(ns, name, _opts, ctx) {
      const old = objs.get(k(ns, name))
      if (!old) throw notFound(def.plural, def.group, name)
      if (ctx.dryRun) return { object: old, deleted: true }
      objs.delete(k(ns, name))
      emit('DELETED', old)
      return { object: old, deleted: true }
    },
    async deleteCollection(ns) {
      const items = [...objs.values()].filter((o) => !ns || o.metadata?.namespace === ns)
      for (const o of items) objs.delete(k(ns, o.metadata?.name ?? ''))
      return items
    },
  }
}
