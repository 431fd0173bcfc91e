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
