// Shared set-up for the store tests: a memory datastore, a handful of kinds described the way the
// registry describes them, and createApiStorage over both. Every test tears its storage down.
import type { Backend } from '../../../datastore/backend.ts'
import { openBackend } from '../../../datastore/index.ts'
import type { ResourceDef } from '../../registry/types.ts'
import { type ApiStorage, type ApiStorageOptions, createApiStorage } from './api-storage.ts'
import type { RequestContext } from './types.ts'

export const defs = {
  namespaces: {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    singular: 'namespace',
    namespaced: false,
    subresources: { status: true },
    generation: false,
  },
  configmaps: {
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    singular: 'configmap',
    namespaced: true,
  },
  pods: {
    group: '',
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    singular: 'pod',
    namespaced: true,
    subresources: { status: true },
    generation: false,
    fieldSelectors: { 'spec.nodeName': (o) => o.spec?.nodeName, 'status.phase': (o) => o.status?.phase },
  },
  services: {
    group: '',
    version: 'v1',
    kind: 'Service',
    plural: 'services',
    singular: 'service',
    namespaced: true,
    subresources: { status: true },
    generation: false,
  },
  nodes: {
    group: '',
    version: 'v1',
    kind: 'Node',
    plural: 'nodes',
    singular: 'node',
    namespaced: false,
    subresources: { status: true },
  },
  deployments: {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    singular: 'deployment',
    namespaced: true,
    subresources: {
      status: true,
      scale: {
        specReplicasPath: '.spec.replicas',
        statusReplicasPath: '.status.replicas',
        labelSelectorPath: '.spec.selector',
      },
    },
    validate: (o) =>
      o.spec?.replicas !== undefined && o.spec.replicas < 0
        ? [
            {
              type: 'FieldValueInvalid',
              field: 'spec.replicas',
              message: `Invalid value: ${o.spec.replicas}: must be greater than or equal to 0`,
            },
          ]
        : [],
  },
  events: {
    group: '',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    singular: 'event',
    namespaced: true,
    fieldSelectors: { 'involvedObject.name': (o) => o.involvedObject?.name },
  },
  eventsV1: {
    group: 'events.k8s.io',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    singular: 'event',
    namespaced: true,
    fieldSelectors: { 'regarding.name': (o) => o.regarding?.name },
  },
  leases: {
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    plural: 'leases',
    singular: 'lease',
    namespaced: true,
  },
  widgets: {
    group: 'example.com',
    version: 'v1',
    kind: 'Widget',
    plural: 'widgets',
    singular: 'widget',
    namespaced: true,
  },
} satisfies Record<string, ResourceDef>

export const ctx = (extra: Partial<RequestContext> = {}): RequestContext => ({
  user: { name: 'test', groups: ['system:masters'] },
  warnings: [],
  ...extra,
})

export interface Fixture {
  backend: Backend
  storage: ApiStorage
  close(): Promise<void>
}

export async function openFixture(opts: Partial<ApiStorageOptions> = {}, backend?: Backend): Promise<Fixture> {
  const b = backend ?? openBackend('memory://')
  if (!backend) await b.start()
  const all = Object.values(defs) as ResourceDef[]
  const registry = {
    all: () => all,
    get: (g: string, v: string, p: string) => all.find((d) => d.group === g && d.version === v && d.plural === p),
  }
  const storage = createApiStorage({ backend: b, registry, ...opts })
  await storage.ready
  return {
    backend: b,
    storage,
    async close() {
      storage.close()
      if (!backend) await b.close()
    },
  }
}

/** creates namespaces through the store, as bootstrap does */
export async function withNamespaces(f: Fixture, ...names: string[]) {
  for (const name of names) await f.storage.storeFor(defs.namespaces).create(undefined, { metadata: { name } }, ctx())
}
