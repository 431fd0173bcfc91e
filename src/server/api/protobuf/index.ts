// Decoding of application/vnd.kubernetes.protobuf request bodies (kubectl 1.32+ create/auth).
export {
  type DecodedKubeObject,
  decodeKubeProtobuf,
  isKubeProtobufMediaType,
  KUBE_PROTOBUF_MAGIC,
  KUBE_PROTOBUF_MEDIA_TYPE,
} from './decode-kube-protobuf.ts'
export { KubeProtobufError } from './errors.ts'
