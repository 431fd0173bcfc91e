// VolumeBinding / VolumeRestrictions, reduced to what kubun's storage needs: a claim must exist; an
// unbound claim is fine only when its StorageClass waits for the first consumer (the provisioner then
// follows the scheduler's choice); a bound claim's PV node affinity must match the node.
import { nodeSelectorTermsMatch } from '../selectors.ts'
import type { ClusterView, FilterFailure, Plugin, Pod } from '../types.ts'

interface VolumeState {
  /** required node selector terms of the bound PVs, one list per PV */
  pvTerms: any[][]
  failure?: FilterFailure
}

export function volumeState(pod: Pod, view: ClusterView): VolumeState | undefined {
  const claims = (pod.spec?.volumes ?? []).filter((v) => v.persistentVolumeClaim).map((v) => v.persistentVolumeClaim!)
  if (claims.length === 0) return undefined
  const state: VolumeState = { pvTerms: [] }
  for (const c of claims) {
    const pvc = view.pvcs?.get(`${pod.metadata?.namespace}/${c.claimName}`)
    if (!pvc) {
      state.failure = {
        reasons: [`persistentvolumeclaim "${c.claimName}" not found`],
        resolvable: false,
        preFilter: true,
      }
      return state
    }
    if (pvc.metadata?.deletionTimestamp) {
      state.failure = {
        reasons: [`persistentvolumeclaim "${c.claimName}" is being deleted`],
        resolvable: false,
        preFilter: true,
      }
      return state
    }
    const pvName = pvc.spec?.volumeName
    if (!pvName) {
      const sc = view.storageClasses?.get(pvc.spec?.storageClassName ?? '')
      if (sc?.volumeBindingMode === 'WaitForFirstConsumer') continue
      state.failure = {
        reasons: ['pod has unbound immediate PersistentVolumeClaims'],
        resolvable: false,
        preFilter: true,
      }
      return state
    }
    const terms = view.pvs?.get(pvName)?.spec?.nodeAffinity?.required?.nodeSelectorTerms
    if (terms) state.pvTerms.push(terms)
  }
  return state
}

export const volumeBinding: Plugin<VolumeState> = {
  name: 'VolumeBinding',
  prepare: volumeState,
  filter(_pod, info, state) {
    if (state.failure) return state.failure
    if (state.pvTerms.every((t) => nodeSelectorTermsMatch(t, info.node))) return undefined
    return { reasons: ['node(s) had volume node affinity conflict'], resolvable: false }
  },
}
