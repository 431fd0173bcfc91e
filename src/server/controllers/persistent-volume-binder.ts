// The persistentvolume-binder controller (upstream pkg/controller/volume/persistentvolume): binds each
// unbound claim to a matching static PV (claimRef on the PV, volumeName and bind-completed on the claim,
// both Bound), keeps PV phases (Available / Bound / Released) and reclaims volumes whose claim is gone.
// Claims of a WaitForFirstConsumer class wait for the scheduler's selected-node; claims a provisioner
// serves are left to it when no static PV fits. One worker: a PV must never go to two claims.
import type { KubeObject } from '../registry/types.ts'
import { SELECTED_NODE } from '../scheduler/scheduler.ts'
import { nodeSelectorTermsMatch } from '../scheduler/selectors.ts'
import { type ControllerContext, newController } from './context.ts'
import type { Controller } from './lib/controller.ts'
import { splitKey } from './lib/object-key.ts'
import { inNs, R } from './lib/resources.ts'
import {
  BIND_COMPLETED,
  BOUND_BY_CONTROLLER,
  claimClass,
  defaultClassName,
  pickVolume,
  volumeAction,
} from './persistent-volume-plan.ts'

const STORAGE_CLASSES = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' }

export function persistentVolumeBinderController(ctx: ControllerContext): Controller {
  const pvs = ctx.informers.informerFor(R.pvs)
  const pvcs = ctx.informers.informerFor(R.pvcs)
  const nodes = ctx.informers.informerFor(R.nodes)
  const classes = ctx.informers.informerFor(STORAGE_CLASSES)
  const recorder = ctx.events('persistentvolume-controller')

  const c = newController(ctx, {
    name: 'persistentvolume-binder-controller',
    workers: 1,
    async reconcile(key) {
      if (key.startsWith('pv/')) return syncVolume(key.slice(3))
      return syncClaim(key.slice(4))
    },
  })

  async function syncClaim(key: string) {
    const pvc = pvcs.get(key)
    if (!pvc || pvc.metadata?.deletionTimestamp) return
    const { namespace } = splitKey(key)
    const bound = pvc.spec?.volumeName && pvc.metadata?.annotations?.[BIND_COMPLETED]
    if (bound) {
      const pv = pvs.get(pvc.spec.volumeName)
      if (!pv) {
        if (pvc.status?.phase !== 'Lost') {
          await setClaimStatus(pvc, { phase: 'Lost' })
          recorder.event(
            pvc,
            'Warning',
            'ClaimLost',
            'Bound claim has lost its PersistentVolume. Data on the volume is lost!',
          )
        }
        return
      }
      if (pvc.status?.phase !== 'Bound') await setClaimStatus(pvc, boundStatus(pv))
      return
    }
    // an unbound claim without a class gets the default one (upstream's DefaultStorageClass admission,
    // and since 1.28 the controller's retroactive assignment); its update brings the claim back here
    if (pvc.spec?.storageClassName == null && !pvc.spec?.volumeName) {
      const def = defaultClassName(classes.list())
      if (def) {
        await ctx.client.update(inNs(R.pvcs, namespace), { ...pvc, spec: { ...pvc.spec, storageClassName: def } })
        return
      }
    }
    const cls = claimClass(pvc)
    const sc = cls ? classes.get(cls) : undefined
    let candidates = pvs.list()
    if (sc?.volumeBindingMode === 'WaitForFirstConsumer') {
      const nodeName = pvc.metadata?.annotations?.[SELECTED_NODE]
      const node = nodeName ? nodes.get(nodeName) : undefined
      if (!node) return // the scheduler picks the node first
      candidates = candidates.filter((pv) => {
        const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms
        return !terms || nodeSelectorTermsMatch(terms, node as never)
      })
    }
    const pv = pickVolume(pvc, candidates, cls)
    if (!pv) {
      if (sc?.provisioner) return // dynamic provisioning (an addon) makes one
      if (pvc.status?.phase !== 'Pending') await setClaimStatus(pvc, { phase: 'Pending' })
      if (!cls)
        recorder.event(
          pvc,
          'Normal',
          'FailedBinding',
          'no persistent volumes available for this claim and no storage class is set',
        )
      else if (!sc)
        recorder.event(pvc, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${cls}" not found`)
      return
    }
    // the volume first (as upstream bindVolumeToClaim), then the claim: a crash in between leaves a
    // volume pre-bound to this claim, which the next pass finishes
    let vol = pv
    if (pv.spec?.claimRef?.uid !== pvc.metadata?.uid) {
      vol = await ctx.client.update<KubeObject>(R.pvs, {
        ...pv,
        metadata: {
          ...pv.metadata,
          annotations: { ...pv.metadata?.annotations, [BOUND_BY_CONTROLLER]: 'yes' },
        },
        spec: {
          ...pv.spec,
          claimRef: {
            kind: 'PersistentVolumeClaim',
            namespace,
            name: pvc.metadata?.name,
            uid: pvc.metadata?.uid,
            apiVersion: 'v1',
            resourceVersion: pvc.metadata?.resourceVersion,
          },
        },
      })
    }
    if (vol.status?.phase !== 'Bound')
      vol = await ctx.client.update<KubeObject>(
        R.pvs,
        { ...vol, status: { ...vol.status, phase: 'Bound' } },
        {
          subresource: 'status',
        },
      )
    const claim = await ctx.client.update<KubeObject>(inNs(R.pvcs, namespace), {
      ...pvc,
      metadata: {
        ...pvc.metadata,
        annotations: { ...pvc.metadata?.annotations, [BIND_COMPLETED]: 'yes', [BOUND_BY_CONTROLLER]: 'yes' },
      },
      spec: { ...pvc.spec, volumeName: pv.metadata?.name },
    })
    await setClaimStatus(claim, boundStatus(vol))
  }

  const boundStatus = (pv: KubeObject) => ({
    phase: 'Bound',
    accessModes: pv.spec?.accessModes,
    capacity: pv.spec?.capacity,
  })

  async function setClaimStatus(pvc: KubeObject, status: Record<string, unknown>) {
    await ctx.client.update(
      inNs(R.pvcs, pvc.metadata?.namespace),
      { ...pvc, status: { ...pvc.status, ...status } },
      { subresource: 'status' },
    )
  }

  async function syncVolume(name: string) {
    const pv = pvs.get(name)
    if (!pv || pv.metadata?.deletionTimestamp) return
    const ref = pv.spec?.claimRef
    const claim = ref ? pvcs.get(`${ref.namespace}/${ref.name}`) : undefined
    const act = volumeAction(pv, claim)
    if (!act) return
    if ('delete' in act) {
      await ctx.client.delete(R.pvs, name, { preconditions: { uid: pv.metadata?.uid } }).catch((e) => {
        if (e.code !== 404 && e.code !== 409) throw e
      })
      return
    }
    await ctx.client.update(R.pvs, { ...pv, status: { ...pv.status, phase: act.phase } }, { subresource: 'status' })
  }

  const enqueueClaim = (o: KubeObject) => c.enqueue(`pvc/${o.metadata?.namespace}/${o.metadata?.name}`)
  const enqueueUnbound = () => {
    for (const p of pvcs.list()) if (!p.metadata?.annotations?.[BIND_COMPLETED]) enqueueClaim(p)
  }
  const onVolume = (pv: KubeObject) => {
    c.enqueue(`pv/${pv.metadata?.name}`)
    const ref = pv.spec?.claimRef
    if (ref) c.enqueue(`pvc/${ref.namespace}/${ref.name}`)
    if (!ref?.uid) enqueueUnbound()
  }
  pvs.addHandler({ add: onVolume, update: (_o, n) => onVolume(n), delete: onVolume })
  const onClaim = (pvc: KubeObject) => {
    enqueueClaim(pvc)
    if (pvc.spec?.volumeName) c.enqueue(`pv/${pvc.spec.volumeName}`)
  }
  pvcs.addHandler({
    add: onClaim,
    update: (_o, n) => onClaim(n),
    delete: (pvc) => {
      for (const pv of pvs.list())
        if (pv.spec?.claimRef?.uid === pvc.metadata?.uid) c.enqueue(`pv/${pv.metadata?.name}`)
    },
  })
  classes.addHandler({ add: enqueueUnbound, update: enqueueUnbound })
  return c
}
