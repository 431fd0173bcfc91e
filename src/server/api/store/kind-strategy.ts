// Per-kind behaviour on top of the generic store, as upstream's registry strategies (pkg/registry/<group>/<kind>/strategy.go).
import type { Compare, TxnOp } from '../../../datastore/backend.ts'
import type { KubeObject } from '../../registry/types.ts'
import type { RequestContext } from './types.ts'

/** Extra datastore writes committed in the same transaction as the object (e.g. allocations). */
export interface TxnExtras {
  compare: Compare[]
  success: TxnOp[]
  /** keys whose current state explains a failed compare */
  checkKeys: string[]
  /** called when the txn failed but the object's own compare held: turn it into the right error */
  explain?(current: Map<string, boolean>): Error
}

export const noExtras = (): TxnExtras => ({ compare: [], success: [], checkKeys: [] })

export interface KindStrategy {
  /** PrepareForCreate: reset what clients may not set (status for most kinds with a status subresource) */
  prepareCreate?(obj: KubeObject): void
  /** PrepareForUpdate on the main resource (status already carried over when the kind has a status subresource) */
  prepareUpdate?(obj: KubeObject, old: KubeObject): void
  /** PrepareForUpdate of the status subresource: `next` is the live object with the request's status;
   * a kind may take more from `requested` (Deployments: annotations, as upstream's status strategy) */
  prepareStatusUpdate?(next: KubeObject, requested: KubeObject): void
  /** grace period for a delete; 0 deletes at once (only pods are graceful upstream) */
  gracePeriod?(obj: KubeObject, requested: number | undefined): number
  /** refuses a delete outright (upstream's admission: the system namespaces may not be deleted) */
  checkDelete?(obj: KubeObject): void
  /** finalizers besides metadata.finalizers that keep a deleting object (namespaces' spec.finalizers) */
  pendingFinalizers?(obj: KubeObject): string[]
  /** mutate an object that is being marked for deletion (namespaces: status.phase = Terminating) */
  markDeleting?(obj: KubeObject): void
  /** writes that must commit with the object (allocations); may mutate obj (e.g. set spec.clusterIP) */
  extras?(
    op: 'create' | 'update' | 'delete',
    obj: KubeObject | undefined,
    old: KubeObject | undefined,
    ctx: RequestContext | undefined,
  ): Promise<TxnExtras>
  /** PUT may create a missing object (upstream AllowCreateOnUpdate) */
  allowCreateOnUpdate?: boolean
}
