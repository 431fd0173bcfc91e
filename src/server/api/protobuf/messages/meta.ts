// k8s.io/apimachinery/pkg/apis/meta/v1 (generated.proto), the parts objects embed.
// ManagedFieldsEntry (17) is left out: clients do not send it on create, and the server owns it.
import type { MessageTable } from '../message-table.ts'

export const metaMessages = {
  ObjectMeta: {
    name: [1, 'string'],
    generateName: [2, 'string'],
    namespace: [3, 'string'],
    selfLink: [4, 'string'],
    uid: [5, 'string'],
    resourceVersion: [6, 'string'],
    generation: [7, 'int64'],
    creationTimestamp: [8, 'Time'],
    deletionTimestamp: [9, 'Time'],
    deletionGracePeriodSeconds: [10, 'int64?'],
    labels: [11, 'map<string,string>'],
    annotations: [12, 'map<string,string>'],
    ownerReferences: [13, 'OwnerReference[]'],
    finalizers: [14, 'string[]'],
  },
  OwnerReference: {
    apiVersion: [5, 'string'],
    kind: [1, 'string'],
    name: [3, 'string'],
    uid: [4, 'string'],
    controller: [6, 'bool?'],
    blockOwnerDeletion: [7, 'bool?'],
  },
  LabelSelector: {
    matchLabels: [1, 'map<string,string>'],
    matchExpressions: [2, 'LabelSelectorRequirement[]'],
  },
  LabelSelectorRequirement: {
    key: [1, 'string'],
    operator: [2, 'string'],
    values: [3, 'string[]'],
  },
  Condition: {
    type: [1, 'string'],
    status: [2, 'string'],
    observedGeneration: [3, 'int64'],
    lastTransitionTime: [4, 'Time'],
    reason: [5, 'string'],
    message: [6, 'string'],
  },
} as const satisfies MessageTable
