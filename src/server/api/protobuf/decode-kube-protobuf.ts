// Decodes a Kubernetes protobuf request body (Content-Type: application/vnd.kubernetes.protobuf),
// as kubectl 1.32+ sends for create and auth requests, into the object the JSON API would get.
//
// Wire format (k8s.io/apimachinery/pkg/runtime/serializer/protobuf): the 4 magic bytes `k8s\0`,
// then a runtime.Unknown message {1: TypeMeta{1: apiVersion, 2: kind}, 2: raw, 3: contentEncoding,
// 4: contentType}, where raw is the object's own message without its TypeMeta.
import { createMessageDecoder, type JsonObject } from './decode-message.ts'
import { malformedProtobuf, unsupportedProtobufKind } from './errors.ts'
import { KIND_MESSAGES, MESSAGES } from './messages/index.ts'
import { MalformedProtobuf, ProtoReader, WIRE } from './proto-reader.ts'

export const KUBE_PROTOBUF_MAGIC = new Uint8Array([0x6b, 0x38, 0x73, 0x00])
export const KUBE_PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf'

/** True for `application/vnd.kubernetes.protobuf`, with or without parameters (not the `;stream=watch` form). */
export function isKubeProtobufMediaType(contentType: string | null | undefined): boolean {
  if (!contentType) return false
  const [type, ...params] = contentType.split(';').map((p) => p.trim().toLowerCase())
  return type === KUBE_PROTOBUF_MEDIA_TYPE && !params.some((p) => p.startsWith('stream='))
}

export interface DecodedKubeObject {
  apiVersion: string
  kind: string
  /** the object as JSON would carry it, apiVersion and kind included */
  object: JsonObject
}

const decoder = createMessageDecoder(MESSAGES)

interface Envelope {
  apiVersion: string
  kind: string
  raw: Uint8Array
  contentEncoding: string
  contentType: string
}

/** Reads the `k8s\0` + runtime.Unknown envelope. */
export function readEnvelope(body: Uint8Array): Envelope {
  if (body.length < 4 || KUBE_PROTOBUF_MAGIC.some((b, i) => body[i] !== b))
    throw malformedProtobuf('the body does not start with the protobuf magic prefix "k8s\\x00"')
  const env: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(), contentEncoding: '', contentType: '' }
  try {
    const r = new ProtoReader(body, 4)
    while (!r.done) {
      const { field, wire } = r.tag()
      if (field === 1 && wire === WIRE.LEN) {
        const t = new ProtoReader(r.bytes())
        while (!t.done) {
          const tag = t.tag()
          if (tag.field === 1 && tag.wire === WIRE.LEN) env.apiVersion = t.string()
          else if (tag.field === 2 && tag.wire === WIRE.LEN) env.kind = t.string()
          else t.skip(tag.wire)
        }
      } else if (field === 2 && wire === WIRE.LEN) env.raw = r.bytes()
      else if (field === 3 && wire === WIRE.LEN) env.contentEncoding = r.string()
      else if (field === 4 && wire === WIRE.LEN) env.contentType = r.string()
      else r.skip(wire)
    }
  } catch (e) {
    throw e instanceof MalformedProtobuf ? malformedProtobuf(`envelope: ${e.message}`) : e
  }
  return env
}

export function decodeKubeProtobuf(body: Uint8Array): DecodedKubeObject {
  const env = readEnvelope(body)
  if (!env.kind || !env.apiVersion) throw malformedProtobuf('the envelope carries no apiVersion and kind')
  // Upstream never compresses request bodies; an encoding we cannot undo is not ours to guess.
  if (env.contentEncoding) throw malformedProtobuf(`unsupported contentEncoding "${env.contentEncoding}"`)
  const message = KIND_MESSAGES.get(`${env.apiVersion} ${env.kind}`)
  if (!message) throw unsupportedProtobufKind(env.apiVersion, env.kind)
  let decoded: JsonObject
  try {
    decoded = decoder.decode(message, env.raw)
  } catch (e) {
    if (e instanceof MalformedProtobuf || e instanceof SyntaxError)
      throw malformedProtobuf(`${env.kind} (${env.apiVersion}): ${e.message}`)
    throw e
  }
  return {
    apiVersion: env.apiVersion,
    kind: env.kind,
    object: { kind: env.kind, apiVersion: env.apiVersion, ...decoded },
  }
}
