// Datastore errors → etcd's gRPC status codes and messages (etcd api/v3rpc/rpctypes). The messages
// must match byte for byte: clientv3 turns them back into typed errors by string comparison.
import { status as Status } from '@grpc/grpc-js'
import {
  CompactedError,
  DuplicateKeyError,
  FutureRevError,
  KeyNotFoundError,
  LeaseExistsError,
  LeaseNotFoundError,
} from '../errors.ts'

export interface GrpcError {
  code: Status
  details: string
}

export const ETCD_ERRORS = {
  compacted: { code: Status.OUT_OF_RANGE, details: 'etcdserver: mvcc: required revision has been compacted' },
  futureRev: { code: Status.OUT_OF_RANGE, details: 'etcdserver: mvcc: required revision is a future revision' },
  leaseNotFound: { code: Status.NOT_FOUND, details: 'etcdserver: requested lease not found' },
  emptyKey: { code: Status.INVALID_ARGUMENT, details: 'etcdserver: key is not provided' },
  keyNotFound: { code: Status.INVALID_ARGUMENT, details: 'etcdserver: key not found' },
  tooManyOps: { code: Status.INVALID_ARGUMENT, details: 'etcdserver: too many operations in txn request' },
  duplicateKey: { code: Status.INVALID_ARGUMENT, details: 'etcdserver: duplicate key given in txn request' },
  leaseExists: { code: Status.FAILED_PRECONDITION, details: 'etcdserver: lease already exists' },
  leaseTtlTooLarge: { code: Status.OUT_OF_RANGE, details: 'etcdserver: too large lease TTL' },
} satisfies Record<string, GrpcError>

/** A request the shim rejects before it reaches the store. */
export class EtcdRequestError extends Error {
  override name = 'EtcdRequestError'
  constructor(readonly grpc: GrpcError) {
    super(grpc.details)
  }
}

export function toGrpcError(err: unknown): GrpcError {
  if (err instanceof EtcdRequestError) return err.grpc
  if (err instanceof CompactedError) return ETCD_ERRORS.compacted
  if (err instanceof FutureRevError) return ETCD_ERRORS.futureRev
  if (err instanceof LeaseNotFoundError) return ETCD_ERRORS.leaseNotFound
  if (err instanceof LeaseExistsError) return ETCD_ERRORS.leaseExists
  if (err instanceof KeyNotFoundError) return ETCD_ERRORS.keyNotFound
  if (err instanceof DuplicateKeyError) return ETCD_ERRORS.duplicateKey
  const e = err as Error
  // Drivers may report these by message only (e.g. an ignore_value put on a missing key).
  for (const known of Object.values(ETCD_ERRORS)) {
    if (e?.message && known.details.endsWith(e.message.replace(/^etcdserver: /, ''))) return known
  }
  return { code: Status.UNKNOWN, details: `etcdserver: ${e?.message ?? String(err)}` }
}
