// Why a protobuf request body was refused, as an ApiError the API turns into a Status:
// a body we cannot parse is a 400 (like a malformed JSON body); a kind we have no message
// table for is a 415, as kube-apiserver answers for types it cannot decode as protobuf
// (custom resources), so the client knows to send JSON instead.
import { ApiError } from '../../../shared/errors.ts'

export class KubeProtobufError extends ApiError {
  override name = 'KubeProtobufError'
}

export const malformedProtobuf = (why: string) =>
  new KubeProtobufError(400, 'BadRequest', `the protobuf request body could not be decoded: ${why}`)

export const unsupportedProtobufKind = (apiVersion: string, kind: string) =>
  new KubeProtobufError(
    415,
    'UnsupportedMediaType',
    `the server cannot decode ${kind || '(no kind)'} (${apiVersion || 'no apiVersion'}) from application/vnd.kubernetes.protobuf; send the object as application/json instead`,
  )
