// Discovery documents derived from the registry: aggregated discovery v2 (apidiscovery.k8s.io/v2, what
// kubectl 1.30+ asks first) and the legacy APIVersions / APIGroupList / APIGroup / APIResourceList that
// `kubectl auth can-i` and older clients still fetch. Built lazily and dropped when the registry changes.
import type { Registry } from '../../registry/index.ts'
import { ALL_VERBS, groupVersion, type ResourceDef } from '../../registry/types.ts'

interface SubresourceInfo {
  name: string
  group: string
  version: string
  kind: string
  verbs: string[]
}

/** What each named subresource answers, as upstream registers them. */
const subresourceKinds: Record<string, Omit<SubresourceInfo, 'name'> | undefined> = {
  scale: { group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
  binding: { group: '', version: 'v1', kind: 'Binding', verbs: ['create'] },
  eviction: { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
  log: { group: '', version: 'v1', kind: 'Pod', verbs: ['get'] },
  exec: { group: '', version: 'v1', kind: 'PodExecOptions', verbs: ['create', 'get'] },
  attach: { group: '', version: 'v1', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
  portforward: { group: '', version: 'v1', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
  proxy: { group: '', version: 'v1', kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  token: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] },
}

/** Subresources answering the object's own kind. */
const sameKindSubresources: Record<string, string[] | undefined> = {
  finalize: ['update'],
  ephemeralcontainers: ['get', 'patch', 'update'],
  resize: ['get', 'patch', 'update'],
}

export function subresourcesOf(def: ResourceDef): SubresourceInfo[] {
  const out: SubresourceInfo[] = []
  const sr = def.subresources
  if (!sr) return out
  if (sr.status) {
    out.push({
      name: 'status',
      group: def.group,
      version: def.version,
      kind: def.kind,
      verbs: ['get', 'patch', 'update'],
    })
  }
  if (sr.scale) out.push({ name: 'scale', ...subresourceKinds.scale! })
  for (const name of sr.others ?? []) {
    const same = sameKindSubresources[name]
    if (same) {
      out.push({ name, group: def.group, version: def.version, kind: def.kind, verbs: same })
      continue
    }
    const k = subresourceKinds[name]
    if (k) out.push({ name, ...k, ...(name === 'proxy' ? { kind: `${def.kind}ProxyOptions` } : {}) })
    else out.push({ name, group: def.group, version: def.version, kind: def.kind, verbs: ['create'] })
  }
  return out
}

export const verbsOf = (def: ResourceDef): string[] => [...(def.verbs ?? ALL_VERBS)].sort()

interface GroupInfo {
  name: string
  versions: string[]
}

/** Groups in registry order (core first, as kube-apiserver lists them), versions preferred first. */
function groups(registry: Registry): GroupInfo[] {
  const seen = new Map<string, GroupInfo>()
  for (const d of registry.all()) if (!seen.has(d.group)) seen.set(d.group, { name: d.group, versions: [] })
  for (const g of seen.values()) g.versions = registry.versions(g.name)
  return [...seen.values()]
}

function aggregatedResource(d: ResourceDef) {
  return {
    resource: d.plural,
    responseKind: { group: d.group, version: d.version, kind: d.kind },
    scope: d.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: d.singular,
    verbs: verbsOf(d),
    ...(d.shortNames?.length ? { shortNames: d.shortNames } : {}),
    ...(d.categories?.length ? { categories: d.categories } : {}),
    ...(d.subresources
      ? {
          subresources: subresourcesOf(d).map((s) => ({
            subresource: s.name,
            responseKind: { group: s.group, version: s.version, kind: s.kind },
            verbs: s.verbs,
          })),
        }
      : {}),
  }
}

function aggregatedGroup(registry: Registry, g: GroupInfo) {
  return {
    metadata: { name: g.name, creationTimestamp: null },
    versions: g.versions.map((version) => ({
      version,
      resources: registry
        .all()
        .filter((d) => d.group === g.name && d.version === version)
        .map(aggregatedResource),
      freshness: 'Current',
    })),
  }
}

export function aggregatedDiscovery(registry: Registry, core: boolean) {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups(registry)
      .filter((g) => (g.name === '') === core)
      .map((g) => aggregatedGroup(registry, g)),
  }
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  }
}

function apiGroup(g: GroupInfo) {
  const versions = g.versions.map((version) => ({ groupVersion: `${g.name}/${version}`, version }))
  return { name: g.name, versions, preferredVersion: versions[0] }
}

export function apiGroupList(registry: Registry) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups(registry)
      .filter((g) => g.name)
      .map(apiGroup),
  }
}

export function apiGroupDoc(registry: Registry, group: string) {
  const g = groups(registry).find((x) => x.name === group && group)
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) } : undefined
}

export function apiResourceList(registry: Registry, group: string, version: string) {
  const defs = registry.all().filter((d) => d.group === group && d.version === version)
  if (!defs.length) return undefined
  const resources: unknown[] = []
  for (const d of defs) {
    resources.push({
      name: d.plural,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: verbsOf(d),
      ...(d.shortNames?.length ? { shortNames: d.shortNames } : {}),
      ...(d.categories?.length ? { categories: d.categories } : {}),
    })
    for (const s of subresourcesOf(d)) {
      resources.push({
        name: `${d.plural}/${s.name}`,
        singularName: '',
        namespaced: d.namespaced,
        ...(s.group !== d.group || s.version !== d.version ? { group: s.group, version: s.version } : {}),
        kind: s.kind,
        verbs: s.verbs,
      })
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources }
}
