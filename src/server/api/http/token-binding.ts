// TokenRequest's boundObjectRef, as upstream's token REST storage: the token may be bound to a Pod, a
// Secret or a Node that must exist (404 otherwise, and 409 when a given uid does not match); the token then
// carries the object in its `kubernetes.io` claim (a Pod's node too, upstream ServiceAccountTokenPodNodeInfo)
// and stops authenticating once that object is gone or replaced.
import { badRequest, conflict, notFound } from '../../../shared/errors.ts'
import type { KubeObject } from '../../registry/types.ts'

export type BoundKind = 'Pod' | 'Secret' | 'Node'
/** Looks an object up (the watch cache, synchronously); namespace is ignored for Nodes. */
export type BoundObjectLookup = (kind: BoundKind, namespace: string, name: string) => KubeObject | undefined

const plural: Record<BoundKind, string> = { Pod: 'pods', Secret: 'secrets', Node: 'nodes' }
const claimKey: Record<BoundKind, 'pod' | 'secret' | 'node'> = { Pod: 'pod', Secret: 'secret', Node: 'node' }

export interface BoundRef {
  kind?: string
  apiVersion?: string
  name?: string
  uid?: string
}

export type BindingClaims = Partial<Record<'pod' | 'secret' | 'node', { name: string; uid: string }>>

/** The claims a bound token adds, or throws the upstream error for a missing or mismatched object. */
export function bindingClaims(
  ref: BoundRef | null | undefined,
  saName: string,
  namespace: string,
  lookup: BoundObjectLookup,
): BindingClaims {
  if (!ref) return {}
  const apiVersion = ref.apiVersion ?? ''
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion]
  const kind = ref.kind ?? ''
  if (group !== '' || !(kind in plural)) {
    throw badRequest(
      `cannot bind token for serviceaccount "${saName}" to object of type ${group}/${version}, Kind=${kind}`,
    )
  }
  const k = kind as BoundKind
  const name = ref.name ?? ''
  const obj = lookup(k, namespace, name)
  if (!obj) throw notFound(plural[k], '', name)
  const uid = String(obj.metadata?.uid ?? '')
  if (ref.uid && ref.uid !== uid) {
    throw conflict(
      k,
      '',
      name,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    )
  }
  const claims: BindingClaims = { [claimKey[k]]: { name, uid } }
  const nodeName = k === 'Pod' ? obj.spec?.nodeName : undefined
  if (nodeName) {
    const node = lookup('Node', '', nodeName)
    if (node) claims.node = { name: nodeName, uid: String(node.metadata?.uid ?? '') }
  }
  return claims
}

/** Whether every object a token's claims name still exists with the same uid (upstream's validator). */
export function bindingStillValid(claim: Record<string, any>, namespace: string, lookup: BoundObjectLookup): boolean {
  for (const k of ['Pod', 'Secret'] as const) {
    const ref = claim[claimKey[k]]
    if (!ref) continue
    const obj = lookup(k, namespace, ref.name)
    if (!obj || (ref.uid && obj.metadata?.uid !== ref.uid)) return false
  }
  // a Pod's node is informational; a token bound to a Node itself needs that node
  if (claim.node && !claim.pod) {
    const node = lookup('Node', '', claim.node.name)
    if (!node || (claim.node.uid && node.metadata?.uid !== claim.node.uid)) return false
  }
  return true
}
