// networking.k8s.io/v1 and discovery.k8s.io/v1.

import { endpointSliceColumns, ingressClassColumns, ingressColumns, networkPolicyColumns } from '../columns/network.ts'
import { endpointSliceDefaults, networkPolicyDefaults } from '../defaults/services.ts'
import type { ResourceDef } from '../types.ts'
import { validateIngress } from '../validation/others.ts'
import { builtin } from './builtin.ts'

export const networkingDefs = (): ResourceDef[] => [
  builtin('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, {
    shortNames: ['ing'],
    subresources: { status: true },
    columns: ingressColumns,
    validate: validateIngress,
  }),
  builtin('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', false, { columns: ingressClassColumns }),
  builtin('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, {
    shortNames: ['netpol'],
    defaults: networkPolicyDefaults,
    columns: networkPolicyColumns,
  }),
  builtin('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true, {
    defaults: endpointSliceDefaults,
    columns: endpointSliceColumns,
  }),
]
