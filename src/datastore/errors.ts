// Named errors equal to etcd's wire errors, so the shim and the API server can map them one to one.

export class DatastoreError extends Error {
  override name = 'DatastoreError'
}

/** etcdserver: mvcc: required revision has been compacted */
export class CompactedError extends DatastoreError {
  override name = 'CompactedError'
  constructor(
    readonly requested: number,
    readonly compactRevision: number,
  ) {
    super('mvcc: required revision has been compacted')
  }
}

/** etcdserver: mvcc: required revision is a future revision */
export class FutureRevError extends DatastoreError {
  override name = 'FutureRevError'
  constructor(readonly requested: number) {
    super('mvcc: required revision is a future revision')
  }
}

/** etcdserver: requested lease not found */
export class LeaseNotFoundError extends DatastoreError {
  override name = 'LeaseNotFoundError'
  constructor(readonly id: number) {
    super('etcdserver: requested lease not found')
  }
}

/** kine's ErrKeyExists: a create found the key already there */
export class KeyExistsError extends DatastoreError {
  override name = 'KeyExistsError'
  constructor(readonly key: string) {
    super('key exists')
  }
}

/** A conditional update/delete found another mod revision (or no key). `current` is the key as it is now. */
export class RevisionMismatchError extends DatastoreError {
  override name = 'RevisionMismatchError'
  constructor(
    readonly key: string,
    readonly current?: import('./backend.ts').KeyValue,
  ) {
    super('mod revision mismatch')
  }
}

/** The store cannot be opened: locked by another process, corrupt, or unreadable. The message says what to do. */
export class StoreUnavailableError extends DatastoreError {
  override name = 'StoreUnavailableError'
}

/** etcdserver: duplicate key given in txn request (a txn writes the same key twice, or puts a key it deletes) */
export class DuplicateKeyError extends DatastoreError {
  override name = 'DuplicateKeyError'
  constructor(readonly key: string) {
    super('etcdserver: duplicate key given in txn request')
  }
}

/** etcdserver: key not found (a put with ignore_value / ignore_lease on a key that does not exist) */
export class KeyNotFoundError extends DatastoreError {
  override name = 'KeyNotFoundError'
  constructor(readonly key: string) {
    super('etcdserver: key not found')
  }
}

/** etcdserver: lease already exists (a grant with an explicit id in use) */
export class LeaseExistsError extends DatastoreError {
  override name = 'LeaseExistsError'
  constructor(readonly id: number) {
    super('etcdserver: lease already exists')
  }
}
