// Field sets as structured-merge-diff keeps them: a trie of path elements, each node possibly a member.
// Path elements are stored in their FieldsV1 spelling so sets serialise to managedFields directly:
//   `f:<field>`  a field of a map/struct      `k:{"name":"web"}`  an item of an associative list
//   `v:"value"`  an item of a set list         `i:3`                an item addressed by index
// In FieldsV1, a node's own membership is written as `".": {}` when it also has children; a leaf `{}` is a member.

export class FieldSet {
  member = false
  readonly children = new Map<string, FieldSet>()

  static fromFieldsV1(v: unknown): FieldSet {
    const set = new FieldSet()
    if (typeof v !== 'object' || v === null) return set
    const entries = Object.entries(v as Record<string, unknown>)
    if (entries.length === 0) set.member = true
    for (const [k, child] of entries) {
      if (k === '.') set.member = true
      else set.children.set(k, FieldSet.fromFieldsV1(child))
    }
    return set
  }

  /** FieldsV1 JSON, children in sorted order as upstream serialises them. */
  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    if (this.member && this.children.size > 0) out['.'] = {}
    for (const k of [...this.children.keys()].sort()) out[k] = this.children.get(k)!.toFieldsV1()
    return out
  }

  insert(path: readonly string[]): void {
    let node: FieldSet = this
    for (const pe of path) {
      let next = node.children.get(pe)
      if (!next) node.children.set(pe, (next = new FieldSet()))
      node = next
    }
    node.member = true
  }

  has(path: readonly string[]): boolean {
    let node: FieldSet | undefined = this
    for (const pe of path) if (!(node = node.children.get(pe))) return false
    return node.member
  }

  get empty(): boolean {
    return !this.member && [...this.children.values()].every((c) => c.empty)
  }

  clone(): FieldSet {
    return this.union(new FieldSet())
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet()
    out.member = this.member || other.member
    for (const k of new Set([...this.children.keys(), ...other.children.keys()])) {
      const a = this.children.get(k)
      const b = other.children.get(k)
      out.children.set(k, a && b ? a.union(b) : (a ?? b)!.union(new FieldSet()))
    }
    return out
  }

  /** Members of this set that are not members of `other` (structure of `other` does not matter). */
  difference(other: FieldSet): FieldSet {
    return this.combine(other, (a, b) => a && !b)
  }

  intersection(other: FieldSet): FieldSet {
    return this.combine(other, (a, b) => a && b)
  }

  /** Removes whole subtrees: every path of this set at or below a member of `other` (RecursiveDifference). */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet()
    if (other.member) return out
    out.member = this.member
    for (const [k, child] of this.children) {
      const o = other.children.get(k)
      const rest = o ? child.recursiveDifference(o) : child.clone()
      if (!rest.empty) out.children.set(k, rest)
    }
    return out
  }

  /** Every member path in upstream's Set.Iterate order: at each level the members, then the children's. */
  paths(prefix: string[] = []): string[][] {
    const out: string[][] = []
    const keys = [...this.children.keys()].sort()
    for (const k of keys) if (this.children.get(k)!.member) out.push([...prefix, k])
    for (const k of keys) out.push(...this.children.get(k)!.paths([...prefix, k]))
    return out
  }

  private combine(other: FieldSet | undefined, keep: (a: boolean, b: boolean) => boolean): FieldSet {
    const out = new FieldSet()
    out.member = keep(this.member, other?.member ?? false)
    for (const [k, child] of this.children) {
      const sub = child.combine(other?.children.get(k), keep)
      if (!sub.empty) out.children.set(k, sub)
    }
    return out
  }
}

/** Upstream path string of one path element: `.spec`, `[name="web"]`, `[containerPort=80,protocol="TCP"]`, `[="a"]`, `[0]`. */
export function pathElementString(pe: string): string {
  const body = pe.slice(2)
  switch (pe.slice(0, 2)) {
    case 'f:':
      return `.${body}`
    case 'k:': {
      const key = JSON.parse(body) as Record<string, unknown>
      return `[${Object.keys(key)
        .sort()
        .map((k) => `${k}=${JSON.stringify(key[k])}`)
        .join(',')}]`
    }
    case 'v:':
      return `[=${body}]`
    case 'i:':
      return `[${body}]`
    default:
      return pe
  }
}

/** `.spec.template.spec.containers[name="web"].image`, as conflicts are reported to kubectl. */
export const pathString = (path: readonly string[]) => path.map(pathElementString).join('')
