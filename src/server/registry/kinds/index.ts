// Every built-in kind, in discovery order (core first, as kube-apiserver lists them).
import type { ResourceDef } from '../types.ts'
import { appsDefs } from './apps.ts'
import { authApiDefs } from './auth-apis.ts'
import { batchDefs } from './batch.ts'
import { clusterApiDefs } from './cluster-apis.ts'
import { coreDefs } from './core.ts'
import { coreClusterDefs } from './core-cluster.ts'
import { networkingDefs } from './networking.ts'
import { rbacDefs } from './rbac.ts'

export const builtinDefs = (): ResourceDef[] => [
  ...coreClusterDefs(),
  ...coreDefs(),
  ...appsDefs(),
  ...batchDefs(),
  ...networkingDefs(),
  ...rbacDefs(),
  ...clusterApiDefs(),
  ...authApiDefs(),
]
