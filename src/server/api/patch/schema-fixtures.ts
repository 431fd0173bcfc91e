// Small schemas mirroring upstream's OpenAPI patch metadata, for this folder's tests only.
// The real kind schemas live in src/server/registry; these copy just the extensions that matter.
import type { JsonSchema } from '../../registry/types.ts'

const str: JsonSchema = { type: 'string' }
const int: JsonSchema = { type: 'integer' }
const bool: JsonSchema = { type: 'boolean' }
const strMap: JsonSchema = { type: 'object', additionalProperties: str }
const strList: JsonSchema = { type: 'array', items: str, 'x-kubernetes-list-type': 'atomic' }
const obj = (properties: Record<string, JsonSchema>, ext: Record<string, unknown> = {}): JsonSchema => ({
  type: 'object',
  properties,
  ...ext,
})
const mergeList = (items: JsonSchema, key: string, mapKeys = [key], extra = {}): JsonSchema => ({
  type: 'array',
  items,
  'x-kubernetes-patch-strategy': 'merge',
  'x-kubernetes-patch-merge-key': key,
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': mapKeys,
  ...extra,
})

const ownerReference = obj({ apiVersion: str, kind: str, name: str, uid: str, controller: bool })
export const objectMeta = obj({
  name: str,
  namespace: str,
  uid: str,
  resourceVersion: str,
  generation: int,
  creationTimestamp: str,
  labels: strMap,
  annotations: strMap,
  finalizers: { type: 'array', items: str, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' },
  ownerReferences: mergeList(ownerReference, 'uid'),
  managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
})

const labelSelector = obj(
  {
    matchLabels: strMap,
    matchExpressions: {
      type: 'array',
      items: obj({ key: str, operator: str, values: strList }),
      'x-kubernetes-list-type': 'atomic',
    },
  },
  { 'x-kubernetes-map-type': 'atomic' },
)

const containerPort = obj({ name: str, containerPort: int, protocol: { type: 'string', default: 'TCP' } })
const envVar = obj({ name: str, value: str, valueFrom: obj({ fieldRef: obj({ fieldPath: str }) }) })
const container = obj({
  name: str,
  image: str,
  imagePullPolicy: str,
  command: strList,
  args: strList,
  ports: mergeList(containerPort, 'containerPort', ['containerPort', 'protocol']),
  env: mergeList(envVar, 'name'),
  volumeMounts: mergeList(obj({ name: str, mountPath: str, readOnly: bool }), 'mountPath'),
  resources: obj({ limits: strMap, requests: strMap }),
})
const volume = obj({
  name: str,
  emptyDir: obj({ medium: str }),
  configMap: obj({ name: str }),
  secret: obj({ secretName: str }),
  hostPath: obj({ path: str }),
})
const toleration = obj({ key: str, operator: str, value: str, effect: str })
export const podSpec = obj({
  containers: mergeList(container, 'name'),
  initContainers: mergeList(container, 'name'),
  volumes: mergeList(volume, 'name', ['name'], { 'x-kubernetes-patch-strategy': 'merge,retainKeys' }),
  tolerations: { type: 'array', items: toleration, 'x-kubernetes-list-type': 'atomic' },
  nodeSelector: { ...strMap, 'x-kubernetes-map-type': 'atomic' },
  nodeName: str,
  restartPolicy: str,
})
const condition = obj({ type: str, status: str, reason: str, message: str, lastTransitionTime: str })
const conditions = mergeList(condition, 'type')

export const deploymentSchema = obj({
  apiVersion: str,
  kind: str,
  metadata: objectMeta,
  spec: obj({
    replicas: int,
    paused: bool,
    selector: labelSelector,
    strategy: obj(
      { type: str, rollingUpdate: obj({ maxSurge: { 'x-kubernetes-int-or-string': true }, maxUnavailable: str }) },
      { 'x-kubernetes-patch-strategy': 'retainKeys' },
    ),
    template: obj({ metadata: objectMeta, spec: podSpec }),
  }),
  status: obj({ replicas: int, conditions }),
})

export const podSchema = obj({ apiVersion: str, kind: str, metadata: objectMeta, spec: podSpec })

export const serviceSchema = obj({
  apiVersion: str,
  kind: str,
  metadata: objectMeta,
  spec: obj({
    type: str,
    clusterIP: str,
    selector: { ...strMap, 'x-kubernetes-map-type': 'atomic' },
    ports: mergeList(
      obj({
        name: str,
        port: int,
        targetPort: { 'x-kubernetes-int-or-string': true },
        protocol: { type: 'string', default: 'TCP' },
      }),
      'port',
      ['port', 'protocol'],
    ),
  }),
})

export const nodeSchema = obj({
  apiVersion: str,
  kind: str,
  metadata: objectMeta,
  spec: obj({
    unschedulable: bool,
    podCIDR: str,
    taints: { type: 'array', items: obj({ key: str, value: str, effect: str }), 'x-kubernetes-list-type': 'atomic' },
  }),
  status: obj({ conditions }),
})
