// POST: name or generateName, server-owned metadata, namespace lifecycle checks, defaults, validation,
// allocations in the same transaction, dryRun returning what would be stored.
import { ApiError, forbidden, notFound, qualified } from '../../../shared/errors.ts'
import type { KubeObject } from '../../registry/types.ts'
import { noExtras } from './kind-strategy.ts'
import { trackManagedFields } from './managed-fields.ts'
import { generateName, metaOf, prepareCreate, requireName } from './object-meta.ts'
import { commit, keyOf, RetryableConflict, type StoreCore } from './store-core.ts'
import type { RequestContext } from './types.ts'

/** upstream retries a generated name that collided a few times before giving up (AlreadyExists) */
const GENERATE_NAME_ATTEMPTS = 8

export async function createObject(
  core: StoreCore,
  namespace: string | undefined,
  input: KubeObject,
  ctx: RequestContext,
  opts: { applied?: boolean } = {},
): Promise<KubeObject> {
  const { def } = core
  const obj = structuredClone(input)
  if (def.namespaced) {
    const ns = namespace ?? obj.metadata?.namespace
    if (!ns)
      throw new ApiError(400, 'BadRequest', 'the server could not find the requested resource: namespace is required')
    await checkNamespace(core, ns, obj.metadata?.name ?? obj.metadata?.generateName ?? '')
    namespace = ns
  }
  // upstream's storage refuses it (500, worded so): a resourceVersion on a new object was copied from elsewhere
  const rv = Number(obj.metadata?.resourceVersion)
  if (Number.isInteger(rv) && rv > 0)
    throw internalNoPrefix('resourceVersion should not be set on objects to be created')
  core.admission.decode(def, obj, ctx)
  prepareCreate(def, obj, namespace)
  core.strategy.prepareCreate?.(obj)
  requireName(def, obj)
  if (!opts.applied) trackManagedFields(core, undefined, obj, ctx, 'Update')
  core.admission.validate(def, obj, undefined, ctx)
  const generated = !input.metadata?.name && !!input.metadata?.generateName
  for (let attempt = 1; ; attempt++) {
    const name = obj.metadata!.name!
    const extras = core.strategy.extras ? await core.strategy.extras('create', obj, undefined, ctx) : noExtras()
    if (ctx.dryRun) return obj
    try {
      const rev = await commit(core, 'create', keyOf(core, namespace, name), name, obj, 0, extras)
      metaOf(obj).resourceVersion = String(rev)
      return obj
    } catch (err) {
      if (attempt >= GENERATE_NAME_ATTEMPTS) throw err instanceof RetryableConflict ? err.cause : err
      if (err instanceof RetryableConflict) continue // a random allocation lost a race: allocate again
      if (!(generated && err instanceof ApiError && err.reason === 'AlreadyExists')) throw err
      obj.metadata!.name = generateName(input.metadata!.generateName!)
    }
  }
}

const internalNoPrefix = (message: string) => new ApiError(500, 'InternalError', message)

/** The NamespaceLifecycle admission plugin: the namespace must exist and not be terminating. */
export async function checkNamespace(core: StoreCore, ns: string, name: string): Promise<void> {
  const state = await core.namespaceState(ns)
  if (state === 'missing') throw notFound('namespaces', '', ns)
  if (state === 'terminating')
    throw forbidden(
      `${qualified(core.def.plural, core.def.group)} "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
    )
}
