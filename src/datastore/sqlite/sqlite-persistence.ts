// placeholder until the SQLite driver lands

import { StoreUnavailableError } from '../errors.ts'
import type { LoadedState, Persistence, WriteBatch } from '../mvcc/persistence.ts'
import type { Version } from '../mvcc/version.ts'
export class SqlitePersistence implements Persistence {
  readonly keepsValues = true
  constructor(
    readonly path: string,
    readonly opts: { fullSync?: boolean },
  ) {}
  open(): LoadedState {
    throw new StoreUnavailableError('the SQLite datastore is not finished yet: use --datastore-endpoint mem://')
  }
  value(v: Version): Uint8Array {
    return v.value ?? new Uint8Array()
  }
  write(_b: WriteBatch): void {}
  async reclaim(): Promise<void> {}
  size() {
    return { dbSize: 0, dbSizeInUse: 0 }
  }
  close(): void {}
}
