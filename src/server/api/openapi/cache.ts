// Serialized OpenAPI documents per registry state: built on first request, dropped on Registry.onChange
// (CRDs added or removed). Hashes let clients cache documents forever (`?hash=` in the v3 index).
import { createHash } from 'node:crypto'
import type { Registry } from '../../registry/index.ts'
import { groupVersions, openapiV2, openapiV3Document, openapiV3Index } from './documents.ts'

export interface OpenApiBody {
  body: string
  /** upper-case hex SHA-512 of the body, as kube-apiserver's `hash` query parameter and ETag */
  hash: string
}

const seal = (doc: object): OpenApiBody => {
  const body = JSON.stringify(doc)
  return { body, hash: createHash('sha512').update(body).digest('hex').toUpperCase() }
}

export class OpenApiCache {
  private v3 = new Map<string, OpenApiBody | null>()
  private index?: OpenApiBody
  private v2?: OpenApiBody
  readonly dispose: () => void

  constructor(private registry: Registry) {
    this.dispose = registry.onChange(() => {
      this.v3.clear()
      this.index = undefined
      this.v2 = undefined
    })
  }

  /** `/openapi/v3/<key>` with key `api/v1` or `apis/<group>/<version>`; undefined when not served. */
  document(key: string): OpenApiBody | undefined {
    if (!this.v3.has(key)) {
      const gv = groupVersions(this.registry).find((g) => g.key === key)
      const doc = gv && openapiV3Document(this.registry, gv.group, gv.version)
      this.v3.set(key, doc ? seal(doc) : null)
    }
    return this.v3.get(key) ?? undefined
  }

  /** `/openapi/v3` */
  v3Index(): OpenApiBody {
    this.index ??= seal(openapiV3Index(this.registry, (key) => this.document(key)?.hash ?? ''))
    return this.index
  }

  /** `/openapi/v2` */
  v2Document(): OpenApiBody {
    this.v2 ??= seal(openapiV2(this.registry))
    return this.v2
  }
}
