// POST subresources of pods that act on the pod itself: binding (the scheduler's write, upstream
// BindingREST: sets spec.nodeName once and the PodScheduled condition) and eviction (a delete; PDBs are
// honoured: store/eviction.ts). Bypasses pod-update validation as upstream does.
import { ApiError, conflict, methodNotAllowed } from '../../../shared/errors.ts'
import type { DeleteOptions } from '../../client/types.ts'
import type { KubeObject } from '../../registry/types.ts'
import { deleteObject } from './delete.ts'
import { admitEviction } from './eviction.ts'
import { metaOf, nowRfc3339 } from './object-meta.ts'
import { readLive, resourceNotFound, retryOnConflict, type StoreCore } from './store-core.ts'
import type { RequestContext } from './types.ts'
import { writeUpdate } from './update.ts'

const success = (code: number): KubeObject => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Success',
  code,
})

export async function createPodSubresource(
  core: StoreCore,
  namespace: string | undefined,
  name: string,
  subresource: string,
  body: KubeObject,
  ctx: RequestContext,
): Promise<KubeObject> {
  if (subresource === 'binding') {
    await bindPod(core, namespace, name, body, ctx)
    return success(201)
  }
  if (subresource === 'eviction') {
    const live = await readLive(core, namespace, name)
    if (!live) throw resourceNotFound(core, name)
    const pdbs = core.lookup?.('policy', 'v1', 'poddisruptionbudgets')
    if (pdbs) await admitEviction(pdbs, live.obj, ctx)
    const opts: DeleteOptions = { ...(body.deleteOptions ?? {}), dryRun: ctx.dryRun }
    await deleteObject(core, namespace, name, opts, ctx)
    return success(201)
  }
  throw methodNotAllowed()
}

async function bindPod(
  core: StoreCore,
  namespace: string | undefined,
  name: string,
  binding: KubeObject,
  ctx: RequestContext,
): Promise<void> {
  const node = binding.target?.name
  if (!node)
    throw new ApiError(422, 'Invalid', 'Binding.core "" is invalid: target.name: Required value', {
      kind: 'Binding',
      causes: [{ reason: 'FieldValueRequired', field: 'target.name', message: 'Required value' }],
    })
  await retryOnConflict(async () => {
    const live = await readLive(core, namespace, name)
    if (!live) throw resourceNotFound(core, name)
    const uid = binding.metadata?.uid
    if (uid && uid !== live.obj.metadata?.uid)
      throw conflict(
        'pods',
        '',
        name,
        `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${live.obj.metadata?.uid}`,
      )
    if (live.obj.metadata?.deletionTimestamp)
      throw conflict('pods/binding', '', name, `pod ${name} is being deleted, cannot be assigned to a host`)
    if (live.obj.spec?.nodeName)
      throw conflict('pods/binding', '', name, `pod ${name} is already assigned to node "${live.obj.spec.nodeName}"`)
    const next = structuredClone(live.obj)
    next.spec = { ...next.spec, nodeName: node }
    const ann = binding.metadata?.annotations
    if (ann) metaOf(next).annotations = { ...next.metadata?.annotations, ...ann }
    const conditions = (next.status?.conditions ?? []).filter((c: { type: string }) => c.type !== 'PodScheduled')
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowRfc3339() })
    next.status = { ...next.status, conditions }
    await writeUpdate(core, namespace, name, next, live, ctx, true)
  })
}
