// The scale subresource: autoscaling/v1 Scale read from and written to the paths the kind declares
// (ResourceDef.subresources.scale, the same shape as a CRD's scale subresource).
import { badRequest, invalid, notFound } from '../../../shared/errors.ts'
import type { KubeObject, ScaleSubresource } from '../../registry/types.ts'
import { labelSelectorToString } from '../selectors/index.ts'
import { conflictFor } from './conflicts.ts'
import { trackManagedFields } from './managed-fields.ts'
import { prepareUpdate } from './object-meta.ts'
import { readLive, resourceNotFound, retryOnConflict, type StoreCore } from './store-core.ts'
import type { RequestContext } from './types.ts'
import { writeUpdate } from './update.ts'

const segments = (path: string) => path.replace(/^\./, '').split('.').filter(Boolean)

function readPath(obj: KubeObject, path: string): unknown {
  let cur: any = obj
  for (const s of segments(path)) cur = cur?.[s]
  return cur
}

function writePath(obj: KubeObject, path: string, value: unknown): void {
  const segs = segments(path)
  let cur: any = obj
  for (const s of segs.slice(0, -1)) cur = cur[s] ??= {}
  cur[segs[segs.length - 1]] = value
}

export function scaleSpec(core: StoreCore): ScaleSubresource {
  const s = core.def.subresources?.scale
  if (!s) throw notFound(`${core.def.plural}/scale`, core.def.group, '')
  return s
}

export function toScale(core: StoreCore, obj: KubeObject): KubeObject {
  const s = scaleSpec(core)
  const m = obj.metadata ?? {}
  // built-in kinds keep their selector in spec.selector (a LabelSelector); upstream prints it as a string
  const sel = (s.labelSelectorPath ? readPath(obj, s.labelSelectorPath) : undefined) ?? obj.spec?.selector
  const selector =
    typeof sel === 'string' ? sel : sel && typeof sel === 'object' ? labelSelectorToString(sel) : undefined
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      ...(m.namespace ? { namespace: m.namespace } : {}),
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: (readPath(obj, s.specReplicasPath) as number | undefined) ?? 0 },
    status: {
      replicas: (readPath(obj, s.statusReplicasPath) as number | undefined) ?? 0,
      ...(selector ? { selector } : {}),
    },
  }
}

export async function getScale(core: StoreCore, namespace: string | undefined, name: string): Promise<KubeObject> {
  scaleSpec(core)
  const live = await readLive(core, namespace, name)
  if (!live) throw resourceNotFound(core, name)
  return toScale(core, live.obj)
}

/** PUT .../scale: only spec.replicas moves; metadata.resourceVersion of the Scale is the precondition. */
export async function updateScale(
  core: StoreCore,
  namespace: string | undefined,
  name: string,
  scale: KubeObject,
  ctx: RequestContext,
): Promise<KubeObject> {
  const s = scaleSpec(core)
  if (scale.metadata?.name && scale.metadata.name !== name)
    throw badRequest(`the name of the object (${scale.metadata.name}) does not match the name on the URL (${name})`)
  const replicas = scale.spec?.replicas
  if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0))
    throw invalid('Scale', 'autoscaling', name, [
      {
        type: 'FieldValueInvalid',
        field: 'spec.replicas',
        message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      },
    ])
  const precondition = scale.metadata?.resourceVersion || undefined
  return retryOnConflict(async () => {
    const live = await readLive(core, namespace, name)
    if (!live) throw resourceNotFound(core, name)
    if (precondition && precondition !== live.obj.metadata!.resourceVersion) throw conflictFor(core, name)
    const next = structuredClone(live.obj)
    writePath(next, s.specReplicasPath, replicas ?? 0)
    prepareUpdate(core.def, next, live.obj, name)
    trackManagedFields(core, live.obj, next, ctx, 'Update', 'scale')
    core.admission.validate(core.def, next, live.obj, ctx)
    return toScale(core, await writeUpdate(core, namespace, name, next, live, ctx, !precondition))
  })
}
