import { describe, expect, test } from 'bun:test'
import { status as Status } from '@grpc/grpc-js'
import {
  CompactedError,
  DuplicateKeyError,
  FutureRevError,
  KeyNotFoundError,
  LeaseExistsError,
  LeaseNotFoundError,
} from '../errors.ts'
import { ETCD_ERRORS, EtcdRequestError, toGrpcError } from './grpc-errors.ts'

describe('toGrpcError', () => {
  // clientv3 maps these back to typed errors by exact message, so code and text must both match etcd's.
  test.each([
    [new CompactedError(3, 5), Status.OUT_OF_RANGE, 'etcdserver: mvcc: required revision has been compacted'],
    [new FutureRevError(99), Status.OUT_OF_RANGE, 'etcdserver: mvcc: required revision is a future revision'],
    [new LeaseNotFoundError(7), Status.NOT_FOUND, 'etcdserver: requested lease not found'],
    [new LeaseExistsError(7), Status.FAILED_PRECONDITION, 'etcdserver: lease already exists'],
    [new KeyNotFoundError('k'), Status.INVALID_ARGUMENT, 'etcdserver: key not found'],
    [new DuplicateKeyError('k'), Status.INVALID_ARGUMENT, 'etcdserver: duplicate key given in txn request'],
    [new EtcdRequestError(ETCD_ERRORS.emptyKey), Status.INVALID_ARGUMENT, 'etcdserver: key is not provided'],
    [new Error('disk I/O error'), Status.UNKNOWN, 'etcdserver: disk I/O error'],
  ])('%p → code %p, %p', (err, code, details) => {
    expect(toGrpcError(err)).toEqual({ code, details })
  })
})
