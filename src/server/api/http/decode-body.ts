// Request body decoding: JSON, YAML or Kubernetes protobuf (kubectl 1.32+ sends protobuf for `create
// namespace|configmap|secret|deployment|service|...`), limited to 3 MiB as kube-apiserver's
// maxRequestBodyBytes. Malformed bodies become 400 with the parser's own message.
import { parse as parseYaml } from 'yaml'
import { ApiError, badRequest, tooLarge, unsupportedMediaType } from '../../../shared/errors.ts'

export const MAX_BODY_BYTES = 3 * 1024 * 1024

export interface DecodedBody {
  value: unknown
  /** the body text when it was JSON or YAML, for duplicate-field detection */
  text?: string
  format: 'json' | 'yaml' | 'protobuf'
}

export type ProtobufDecoder = (body: Uint8Array) => unknown

/** Reads the body, enforcing the size limit even when Content-Length is absent (chunked uploads). */
export async function readBody(req: Request): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? '0')
  if (declared > MAX_BODY_BYTES) throw tooLarge()
  if (!req.body) return new Uint8Array()
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_BODY_BYTES) {
      reader.cancel().catch(() => {})
      throw tooLarge()
    }
    chunks.push(value)
  }
  if (chunks.length === 1) return chunks[0]
  const out = new Uint8Array(size)
  let off = 0
  for (const c of chunks) {
    out.set(c, off)
    off += c.byteLength
  }
  return out
}

export function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase()
}

/** Decodes an object body (create, update, SubjectAccessReview, DeleteOptions...). */
export function decodeObject(bytes: Uint8Array, contentType: string | null, protobuf?: ProtobufDecoder): DecodedBody {
  const type = mediaType(contentType)
  if (type === 'application/vnd.kubernetes.protobuf') {
    if (!protobuf) throw unsupportedMediaType(type)
    try {
      return { value: protobuf(bytes), format: 'protobuf' }
    } catch (e) {
      if (e instanceof ApiError) throw e
      throw badRequest(`unable to decode protobuf body: ${(e as Error).message}`)
    }
  }
  const text = new TextDecoder().decode(bytes)
  if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') {
    return { value: parseYamlBody(text), text, format: 'yaml' }
  }
  if (type === '' || type === 'application/json' || type === '*/*')
    return { value: parseJsonBody(text), text, format: 'json' }
  throw unsupportedMediaType(type)
}

export function parseJsonBody(text: string): unknown {
  if (!text.trim()) throw badRequest("Object 'Kind' is missing in ''")
  try {
    return JSON.parse(text)
  } catch (e) {
    throw badRequest(`the body of the request could not be decoded as JSON: ${(e as Error).message}`)
  }
}

export function parseYamlBody(text: string): unknown {
  try {
    return parseYaml(text, { uniqueKeys: false })
  } catch (e) {
    throw badRequest(`the body of the request could not be decoded as YAML: ${(e as Error).message.split('\n')[0]}`)
  }
}
