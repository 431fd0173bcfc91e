// Static PV ↔ PVC matching and PV phases, as upstream's persistentvolume-binder (pv_controller.go,
// index.go findBestMatchForClaim): a claim takes the smallest Available volume of its storage class
// that offers every access mode it asks for, at least the capacity it requests, the same volumeMode,
// and the labels its selector wants; a volume whose claim is gone is Released (Retain) or deleted
// (Delete).

import type { KubeObject } from '../registry/types.ts'
import { parseQuantity } from '../scheduler/quantity.ts'
import { labelSelectorMatches } from '../scheduler/selectors.ts'

export const BIND_COMPLETED = 'pv.kubernetes.io/bind-completed'
export const BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller'

/** The class a claim asks for; nil means "" when no default class exists (DefaultStorageClass admission). */
export const claimClass = (pvc: KubeObject, defaultClass?: string) => pvc.spec?.storageClassName ?? defaultClass ?? ''

const DEFAULT_CLASS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
]

/** The default StorageClass (annotation is-default-class=true); with several, the newest, as upstream's
 * GetDefaultClass. */
export function defaultClassName(classes: KubeObject[]): string | undefined {
  const defaults = classes.filter((c) => DEFAULT_CLASS.some((a) => c.metadata?.annotations?.[a] === 'true'))
  defaults.sort(
    (a, b) =>
      (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? '') ||
      (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''),
  )
  return defaults[0]?.metadata?.name
}

/** Does `pv` satisfy `pvc` (ignoring whether it is free)? */
export function volumeFits(pv: KubeObject, pvc: KubeObject, cls: string): boolean {
  if ((pv.spec?.storageClassName ?? '') !== cls) return false
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem')) return false
  const offered: string[] = pv.spec?.accessModes ?? []
  if (!(pvc.spec?.accessModes ?? []).every((m: string) => offered.includes(m))) return false
  const want = parseQuantity(pvc.spec?.resources?.requests?.storage ?? '0')
  if (parseQuantity(pv.spec?.capacity?.storage ?? '0') < want) return false
  if (pvc.spec?.selector && !labelSelectorMatches(pvc.spec.selector, pv.metadata?.labels ?? {})) return false
  return true
}

/** A free volume for the claim: one pre-bound to it by claimRef first, else the smallest that fits. */
export function pickVolume(pvc: KubeObject, pvs: KubeObject[], cls: string): KubeObject | undefined {
  const ns = pvc.metadata?.namespace
  const name = pvc.metadata?.name
  const usable = pvs.filter((pv) => !pv.metadata?.deletionTimestamp && pv.status?.phase !== 'Released')
  if (pvc.spec?.volumeName) {
    const pv = usable.find((v) => v.metadata?.name === pvc.spec.volumeName)
    const ref = pv?.spec?.claimRef
    if (!pv || (ref && (ref.namespace !== ns || ref.name !== name))) return undefined
    return pv
  }
  const preBound = usable.find(
    (pv) => pv.spec?.claimRef?.namespace === ns && pv.spec?.claimRef?.name === name && !pv.spec?.claimRef?.uid,
  )
  if (preBound && volumeFits(preBound, pvc, cls)) return preBound
  let best: KubeObject | undefined
  for (const pv of usable) {
    if (pv.spec?.claimRef || !volumeFits(pv, pvc, cls)) continue
    const size = parseQuantity(pv.spec?.capacity?.storage ?? '0')
    if (!best || size < parseQuantity(best.spec?.capacity?.storage ?? '0')) best = pv
  }
  return best
}

export type VolumeAction = { phase: 'Available' | 'Bound' | 'Released' } | { delete: true } | undefined

/** What a volume's phase should become given its claimRef and whether that claim (same uid) still exists. */
export function volumeAction(pv: KubeObject, claim: KubeObject | undefined): VolumeAction {
  const ref = pv.spec?.claimRef
  const phase = pv.status?.phase
  if (!ref) return phase === 'Available' ? undefined : { phase: 'Available' }
  if (!ref.uid) return phase === 'Available' ? undefined : { phase: 'Available' } // pre-bound, waiting
  const same = claim && claim.metadata?.uid === ref.uid
  if (same) {
    if (claim.spec?.volumeName === pv.metadata?.name) return phase === 'Bound' ? undefined : { phase: 'Bound' }
    return undefined // binding in progress
  }
  if (phase === 'Released' || phase === 'Failed') return undefined
  const policy = pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain'
  // Delete: the provisioner that made it deletes it; a static volume's object goes (no deleter plugin here)
  if (policy === 'Delete' && !pv.metadata?.annotations?.['pv.kubernetes.io/provisioned-by']) return { delete: true }
  return { phase: 'Released' }
}
