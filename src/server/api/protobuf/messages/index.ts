// Every message table, and which apiVersion/kind maps to which top-level message.
// To add a kind: write its messages in the group's file (field numbers from upstream
// generated.proto), list the kind in the group's `...Kinds`, and add a fixture test.
import { mergeTables } from '../message-table.ts'
import { appsKinds, appsMessages } from './apps.ts'
import { authenticationKinds, authenticationMessages } from './authentication.ts'
import { authorizationKinds, authorizationMessages } from './authorization.ts'
import { autoscalingMessages, autoscalingV1Kinds, autoscalingV2Kinds } from './autoscaling.ts'
import { batchKinds, batchMessages } from './batch.ts'
import { coreKinds, coreMessages } from './core.ts'
import { podMessages } from './core-pod.ts'
import { metaMessages } from './meta.ts'
import { networkingKinds, networkingMessages } from './networking.ts'
import { rbacKinds, rbacMessages } from './rbac.ts'
import { policyKinds, schedulingKinds, schedulingPolicyMessages } from './scheduling-policy.ts'

export const MESSAGES = mergeTables(
  metaMessages,
  coreMessages,
  podMessages,
  appsMessages,
  batchMessages,
  rbacMessages,
  authenticationMessages,
  authorizationMessages,
  networkingMessages,
  schedulingPolicyMessages,
  autoscalingMessages,
)

/** A kind decoded by the message of the same name, or [kind, message] where names collide across versions. */
type KindList = readonly (string | readonly [kind: string, message: string])[]

const GROUP_KINDS: [apiVersion: string, kinds: KindList][] = [
  ['v1', coreKinds],
  ['apps/v1', appsKinds],
  ['batch/v1', batchKinds],
  ['rbac.authorization.k8s.io/v1', rbacKinds],
  ['authentication.k8s.io/v1', authenticationKinds],
  ['authorization.k8s.io/v1', authorizationKinds],
  ['networking.k8s.io/v1', networkingKinds],
  ['scheduling.k8s.io/v1', schedulingKinds],
  ['policy/v1', policyKinds],
  ['autoscaling/v1', autoscalingV1Kinds],
  ['autoscaling/v2', autoscalingV2Kinds],
]

/** `apps/v1 Deployment` → the message that decodes its raw bytes. */
export const KIND_MESSAGES: ReadonlyMap<string, string> = new Map(
  GROUP_KINDS.flatMap(([apiVersion, kinds]) =>
    kinds.map((k): [string, string] =>
      typeof k === 'string' ? [`${apiVersion} ${k}`, k] : [`${apiVersion} ${k[0]}`, k[1]],
    ),
  ),
)
