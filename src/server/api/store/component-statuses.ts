// core/v1 ComponentStatus (`kubectl get cs`): deprecated upstream since 1.19 and still served, computed on
// each read as upstream's componentstatus REST does. The scheduler and controller manager run in this
// process, so they are healthy whenever the API answers (as k3s reports them); etcd-0 is the datastore,
// probed with a one-key read.
import type { Backend } from '../../../datastore/backend.ts'
import { methodNotAllowed, notFound } from '../../../shared/errors.ts'
import type { KubeObject, ResourceDef } from '../../registry/types.ts'
import type { ListResult, RequestContext, ResourceStore } from './types.ts'

const DEPRECATED = 'v1 ComponentStatus is deprecated in v1.19+'

export const isComponentStatuses = (def: ResourceDef) => def.group === '' && def.plural === 'componentstatuses'

function status(name: string, ok: boolean, message: string, error?: string): KubeObject {
  const condition: Record<string, string> = { type: 'Healthy', status: ok ? 'True' : 'False', message }
  if (error) condition.error = error
  return { kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name }, conditions: [condition] }
}

async function probeDatastore(backend: Backend): Promise<KubeObject> {
  try {
    await backend.range({ key: '/registry/health', limit: 1 })
    return status('etcd-0', true, '{"health":"true","reason":""}')
  } catch (e) {
    return status('etcd-0', false, '', (e as Error).message)
  }
}

async function current(backend: Backend): Promise<KubeObject[]> {
  return [status('scheduler', true, 'ok'), status('controller-manager', true, 'ok'), await probeDatastore(backend)]
}

export function componentStatusStore(def: ResourceDef, backend: Backend): ResourceStore {
  const refuse = async (): Promise<never> => {
    throw methodNotAllowed()
  }
  return {
    def,
    async get(_ns, name, ctx?: RequestContext) {
      ctx?.warnings.push(DEPRECATED)
      const found = (await current(backend)).find((o) => o.metadata?.name === name)
      if (!found) throw notFound(def.plural, def.group, name)
      return found
    },
    async list(_ns, _opts, ctx?: RequestContext): Promise<ListResult> {
      ctx?.warnings.push(DEPRECATED)
      return { items: await current(backend), resourceVersion: '' }
    },
    watch() {
      throw methodNotAllowed()
    },
    create: refuse,
    update: refuse,
    patch: refuse,
    delete: refuse,
    deleteCollection: refuse,
  }
}
