export { type DecodedKubeObject, decodeKubeProtobuf, KUBE_PROTOBUF_MAGIC } from './decode-kube-protobuf.ts'
export { KubeProtobufError } from './errors.ts'
