// Response content negotiation. kube-apiserver reads the media-type parameters `as`, `g`, `v` of each
// Accept entry in order and serves the first it can: `as=Table` (meta.k8s.io v1/v1beta1),
// `as=PartialObjectMetadata[List]`, `as=APIGroupDiscoveryList` (apidiscovery.k8s.io v2), or plain JSON.

export type Wanted =
  | { as: 'json' }
  | { as: 'Table'; version: 'v1' | 'v1beta1' }
  | { as: 'PartialObjectMetadata'; version: 'v1' | 'v1beta1' }
  | { as: 'discovery-v2' }

interface MediaRange {
  type: string
  params: Record<string, string>
}

export function parseAccept(header: string | null): MediaRange[] {
  if (!header) return []
  return header.split(',').map((entry) => {
    const [type, ...ps] = entry.split(';').map((s) => s.trim())
    const params: Record<string, string> = {}
    for (const p of ps) {
      const eq = p.indexOf('=')
      if (eq > 0) params[p.slice(0, eq).trim()] = p.slice(eq + 1).trim()
    }
    return { type: type.toLowerCase(), params }
  })
}

const jsonish = (t: string) => t === 'application/json' || t === '*/*' || t === 'application/*' || t === ''

/** What kind of body the client wants for an object or list response. */
export function negotiate(header: string | null): Wanted {
  const ranges = parseAccept(header)
  for (const r of ranges) {
    if (!jsonish(r.type) && r.type !== 'application/yaml' && r.type !== 'application/vnd.kubernetes.protobuf') continue
    const as = r.params.as
    if (!as) {
      if (jsonish(r.type)) return { as: 'json' }
      continue
    }
    const version = r.params.v
    if (as === 'APIGroupDiscoveryList' && r.params.g === 'apidiscovery.k8s.io' && version === 'v2') {
      return { as: 'discovery-v2' }
    }
    if (r.params.g !== 'meta.k8s.io' || (version !== 'v1' && version !== 'v1beta1')) continue
    if (as === 'Table') return { as: 'Table', version }
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') {
      return { as: 'PartialObjectMetadata', version }
    }
  }
  return { as: 'json' }
}

/** The exact content type kubectl requires to treat /api and /apis as aggregated discovery. */
export const DISCOVERY_V2_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'
