// The live set of ResourceDefs: built-in kinds at start, CRDs added and removed at run time.
// Discovery and OpenAPI caches subscribe with onChange and rebuild lazily.
import type { ResourceDef } from './types.ts'

const key = (group: string, version: string, plural: string) => `${group}/${version}/${plural}`

/** Upstream version priority (apimachinery version.CompareKubeAwareVersionStrings): GA > beta > alpha, higher first. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v)
    if (!m) return [0, 0, 0] as const
    const stage = m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3
    return [stage, Number(m[1]), Number(m[3] ?? 0)] as const
  }
  const pa = parse(a)
  const pb = parse(b)
  // Non-kube-like versions sort after kube-like ones, alphabetically.
  if (pa[0] === 0 || pb[0] === 0) return pa[0] !== pb[0] ? pb[0] - pa[0] : a.localeCompare(b)
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pb[i] - pa[i]
  return 0
}

export class Registry {
  private defs = new Map<string, ResourceDef>()
  private listeners = new Set<() => void>()

  constructor(defs: ResourceDef[] = []) {
    for (const d of defs) this.defs.set(key(d.group, d.version, d.plural), d)
  }

  all(): ResourceDef[] {
    return [...this.defs.values()]
  }

  get(group: string, version: string, plural: string): ResourceDef | undefined {
    return this.defs.get(key(group, version, plural))
  }

  /** The kind in its group's preferred (highest-priority) version. */
  byKind(group: string, kind: string): ResourceDef | undefined {
    let best: ResourceDef | undefined
    for (const d of this.defs.values()) {
      if (d.group !== group || d.kind !== kind) continue
      if (!best || compareKubeVersions(d.version, best.version) < 0) best = d
    }
    return best
  }

  /** Versions served for a group, preferred first. */
  versions(group: string): string[] {
    const vs = new Set<string>()
    for (const d of this.defs.values()) if (d.group === group) vs.add(d.version)
    return [...vs].sort(compareKubeVersions)
  }

  /** Defs matching a kubectl-style resource argument: plural, singular, short name or kind,
   * optionally qualified as `name.group` or `name.version.group`. Preferred versions first. */
  resolve(nameOrShortName: string): ResourceDef[] {
    const arg = nameOrShortName.toLowerCase()
    const out: ResourceDef[] = []
    for (const d of this.defs.values()) {
      const names = [d.plural, d.singular, d.kind.toLowerCase(), ...(d.shortNames ?? [])]
      const hit = names.some(
        (n) => n === arg || (d.group && (arg === `${n}.${d.group}` || arg === `${n}.${d.version}.${d.group}`)),
      )
      if (hit) out.push(d)
    }
    return out.sort((a, b) => compareKubeVersions(a.version, b.version))
  }

  add(def: ResourceDef): void {
    this.defs.set(key(def.group, def.version, def.plural), def)
    this.changed()
  }

  remove(group: string, version: string, plural: string): void {
    if (this.defs.delete(key(group, version, plural))) this.changed()
  }

  onChange(cb: () => void): () => void {
    this.listeners.add(cb)
    return () => this.listeners.delete(cb)
  }

  private changed() {
    for (const cb of this.listeners) cb()
  }
}
