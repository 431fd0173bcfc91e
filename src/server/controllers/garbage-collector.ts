// The garbage collector (upstream pkg/controller/garbagecollector), over one informer per deletable
// resource and an index of dependents by owner uid:
//  - Background: a dependent whose owners are all gone is deleted; dangling references to gone owners
//    are removed when some owner remains.
//  - Foreground: an owner with the `foregroundDeletion` finalizer has its dependents deleted, and keeps
//    the finalizer until no dependent with blockOwnerDeletion=true is left.
//  - Orphan: an owner with the `orphan` finalizer has its reference removed from every dependent, then
//    the finalizer dropped.
// An owner missing from the caches is confirmed absent with a live read before anything is deleted.
import type { ResourceRef } from '../client/types.ts'
import type { KubeObject, ResourceDef } from '../registry/types.ts'
import { type ControllerContext, newController } from './context.ts'
import type { Controller } from './lib/controller.ts'
import type { Informer } from './lib/informer.ts'

const ORPHAN = 'orphan'
const FOREGROUND = 'foregroundDeletion'

interface OwnerRef {
  apiVersion: string
  kind: string
  name: string
  uid: string
  blockOwnerDeletion?: boolean
}

interface Tracked {
  def: ResourceDef
  informer: Informer
}

/** Resources the collector watches: every listable, deletable one but Events (which own nothing). */
export function collectable(d: ResourceDef): boolean {
  const verbs = d.verbs ?? ['list', 'watch', 'delete']
  if (!verbs.includes('list') || !verbs.includes('watch') || !verbs.includes('delete')) return false
  if (d.kind === 'Event') return false
  return !d.plural.includes('/')
}

export function garbageCollector(ctx: ControllerContext): Controller {
  const tracked = new Map<string, Tracked>()
  /** uid → the resource and cache key of the live object */
  const byUid = new Map<string, { t: Tracked; key: string }>()
  const defKey = (d: Pick<ResourceDef, 'group' | 'version' | 'plural'>) => `${d.group}|${d.version}|${d.plural}`
  const itemKey = (t: Tracked, o: KubeObject) => `${defKey(t.def)}|${o.metadata?.namespace ?? ''}|${o.metadata?.name}`

  const c = newController(ctx, {
    name: 'garbage-collector-controller',
    workers: 4,
    async reconcile(key) {
      const [g, v, p, ns, name] = key.split('|')
      const t = tracked.get(`${g}|${v}|${p}`)
      const obj = t?.informer.getByName(ns || undefined, name)
      if (!t || !obj) return
      const finalizers: string[] = obj.metadata?.finalizers ?? []
      if (obj.metadata?.deletionTimestamp && finalizers.includes(ORPHAN)) return orphanDependents(t, obj)
      if (obj.metadata?.deletionTimestamp && finalizers.includes(FOREGROUND)) return deleteDependents(t, obj)
      if (obj.metadata?.ownerReferences?.length) return checkOwners(t, obj)
    },
  })

  const refOf = (t: Tracked, o: KubeObject): ResourceRef => ({
    group: t.def.group,
    version: t.def.version,
    resource: t.def.plural,
    namespace: t.def.namespaced ? o.metadata?.namespace : undefined,
  })

  function dependentsOf(uid: string): { t: Tracked; obj: KubeObject }[] {
    const out: { t: Tracked; obj: KubeObject }[] = []
    for (const t of tracked.values()) for (const obj of t.informer.byIndex('owner', uid)) out.push({ t, obj })
    return out
  }

  async function removeFinalizer(t: Tracked, obj: KubeObject, f: string): Promise<void> {
    const fresh = await ctx.client.get<KubeObject>(refOf(t, obj), obj.metadata!.name!)
    if (fresh.metadata?.uid !== obj.metadata?.uid) return
    const left = (fresh.metadata?.finalizers ?? []).filter((x: string) => x !== f)
    if (left.length === (fresh.metadata?.finalizers ?? []).length) return
    fresh.metadata = { ...fresh.metadata, finalizers: left }
    await ctx.client.update(refOf(t, obj), fresh)
  }

  async function orphanDependents(t: Tracked, owner: KubeObject): Promise<void> {
    const uid = owner.metadata!.uid!
    for (const d of dependentsOf(uid)) await dropOwnerRefs(d.t, d.obj, new Set([uid]))
    await removeFinalizer(t, owner, ORPHAN)
  }

  async function deleteDependents(t: Tracked, owner: KubeObject): Promise<void> {
    // the finalizer may only go when every cache could have shown us the dependents
    for (const x of tracked.values()) await x.informer.hasSynced
    const deps = dependentsOf(owner.metadata!.uid!)
    for (const d of deps) {
      if (d.obj.metadata?.deletionTimestamp) continue
      // a dependent that owns things itself goes in the foreground too, so the chain waits bottom-up
      const hasOwn = dependentsOf(d.obj.metadata!.uid!).length > 0
      await del(d.t, d.obj, hasOwn ? 'Foreground' : 'Background')
    }
    const blocking = deps.filter((d) =>
      (d.obj.metadata?.ownerReferences ?? []).some(
        (r: OwnerRef) => r.uid === owner.metadata?.uid && r.blockOwnerDeletion,
      ),
    )
    if (blocking.length === 0) await removeFinalizer(t, owner, FOREGROUND)
  }

  async function del(t: Tracked, obj: KubeObject, policy: 'Background' | 'Foreground'): Promise<void> {
    try {
      await ctx.client.delete(refOf(t, obj), obj.metadata!.name!, {
        propagationPolicy: policy,
        preconditions: { uid: obj.metadata?.uid },
      })
    } catch (err) {
      const code = (err as { code?: number }).code
      if (code !== 404 && code !== 409) throw err
    }
  }

  async function dropOwnerRefs(t: Tracked, obj: KubeObject, uids: Set<string>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let fresh: KubeObject
      try {
        fresh = await ctx.client.get<KubeObject>(refOf(t, obj), obj.metadata!.name!)
      } catch (err) {
        if ((err as { code?: number }).code === 404) return
        throw err
      }
      if (fresh.metadata?.uid !== obj.metadata?.uid) return
      const refs = (fresh.metadata?.ownerReferences ?? []).filter((r: OwnerRef) => !uids.has(r.uid))
      if (refs.length === (fresh.metadata?.ownerReferences ?? []).length) return
      fresh.metadata = { ...fresh.metadata, ownerReferences: refs.length ? refs : undefined }
      if (!refs.length) delete fresh.metadata.ownerReferences
      try {
        await ctx.client.update(refOf(t, obj), fresh)
        return
      } catch (err) {
        if ((err as { code?: number }).code !== 409 || attempt > 5) throw err
      }
    }
  }

  /** Is this owner reference's object gone? The cache first, then a live read by name. */
  async function ownerState(dep: KubeObject, r: OwnerRef): Promise<'present' | 'absent' | 'deleting-foreground'> {
    const hit = byUid.get(r.uid)
    const cached = hit?.t.informer.get(hit.key)
    let owner: KubeObject | undefined = cached?.metadata?.uid === r.uid ? cached : undefined
    if (!owner) {
      const [group, version] = r.apiVersion.includes('/') ? r.apiVersion.split('/') : ['', r.apiVersion]
      const def =
        ctx.resources().find((d) => d.group === group && d.version === version && d.kind === r.kind) ??
        ctx.resources().find((d) => d.group === group && d.kind === r.kind)
      if (!def) return 'present' // unknown kind: never delete on a guess (upstream waits for discovery)
      try {
        owner = await ctx.client.get<KubeObject>(
          {
            group: def.group,
            version: def.version,
            resource: def.plural,
            namespace: def.namespaced ? dep.metadata?.namespace : undefined,
          },
          r.name,
        )
      } catch (err) {
        if ((err as { code?: number }).code === 404) return 'absent'
        throw err
      }
      if (owner.metadata?.uid !== r.uid) return 'absent'
    }
    if (owner.metadata?.deletionTimestamp && owner.metadata.finalizers?.includes(FOREGROUND))
      return 'deleting-foreground'
    return 'present'
  }

  async function checkOwners(t: Tracked, obj: KubeObject): Promise<void> {
    const refs: OwnerRef[] = obj.metadata?.ownerReferences ?? []
    const absent: string[] = []
    let foreground = false
    for (const r of refs) {
      const s = await ownerState(obj, r)
      if (s === 'absent') absent.push(r.uid)
      if (s === 'deleting-foreground') foreground = true
    }
    if (absent.length === 0) {
      if (foreground && !obj.metadata?.deletionTimestamp && refs.length === 1) {
        const hasOwn = dependentsOf(obj.metadata!.uid!).length > 0
        await del(t, obj, hasOwn ? 'Foreground' : 'Background')
      }
      return
    }
    if (absent.length === refs.length) {
      if (!obj.metadata?.deletionTimestamp) await del(t, obj, 'Background')
      return
    }
    await dropOwnerRefs(t, obj, new Set(absent))
  }

  function track(def: ResourceDef): void {
    const k = defKey(def)
    if (tracked.has(k)) return
    const informer = ctx.informers.informerFor({ group: def.group, version: def.version, resource: def.plural })
    const t: Tracked = { def, informer }
    tracked.set(k, t)
    const interesting = (o: KubeObject) =>
      !!o.metadata?.ownerReferences?.length ||
      (!!o.metadata?.deletionTimestamp &&
        (o.metadata.finalizers ?? []).some((f: string) => f === ORPHAN || f === FOREGROUND))
    const wakeOwners = (o: KubeObject) => {
      for (const r of (o.metadata?.ownerReferences ?? []) as OwnerRef[]) {
        const hit = byUid.get(r.uid)
        if (hit) c.enqueue(`${defKey(hit.t.def)}|${hit.key.includes('/') ? hit.key.replace('/', '|') : `|${hit.key}`}`)
      }
    }
    informer.addHandler({
      add(o) {
        byUid.set(o.metadata!.uid!, { t, key: keyOfObj(o) })
        if (interesting(o)) c.enqueue(itemKey(t, o))
      },
      update(old, o) {
        byUid.set(o.metadata!.uid!, { t, key: keyOfObj(o) })
        const changed =
          old.metadata?.resourceVersion !== o.metadata?.resourceVersion &&
          (JSON.stringify(old.metadata?.ownerReferences) !== JSON.stringify(o.metadata?.ownerReferences) ||
            old.metadata?.deletionTimestamp !== o.metadata?.deletionTimestamp ||
            JSON.stringify(old.metadata?.finalizers) !== JSON.stringify(o.metadata?.finalizers))
        if (changed && interesting(o)) c.enqueue(itemKey(t, o))
        // a dependent starting to go may unblock a foreground owner
        if (changed && o.metadata?.deletionTimestamp) wakeOwners(o)
      },
      delete(o) {
        const uid = o.metadata!.uid!
        if (byUid.get(uid)?.key === keyOfObj(o)) byUid.delete(uid)
        for (const d of dependentsOf(uid)) c.enqueue(itemKey(d.t, d.obj))
        wakeOwners(o)
      },
    })
  }

  // one version per resource: the same objects are served under each version
  const trackAll = () => {
    const seen = new Set([...tracked.values()].map((t) => `${t.def.group}|${t.def.plural}`))
    for (const def of ctx.resources()) {
      const gr = `${def.group}|${def.plural}`
      if (seen.has(gr) || !collectable(def)) continue
      seen.add(gr)
      track(def)
    }
  }
  trackAll()
  // resources served later (CRDs) join on the next sweep
  const sweep = setInterval(trackAll, ctx.options.sweepMs ?? 20_000)
  sweep.unref?.()
  const stop = c.stop.bind(c)
  c.stop = async () => {
    clearInterval(sweep)
    await stop()
  }
  return c
}

const keyOfObj = (o: KubeObject) =>
  o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata!.name!
