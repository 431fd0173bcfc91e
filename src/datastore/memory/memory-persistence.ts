// The memory driver keeps values on the index's versions; nothing to load, write or reclaim.
import type { LoadedState, Persistence } from '../mvcc/persistence.ts'
import type { Version } from '../mvcc/version.ts'

const empty = new Uint8Array(0)

export class MemoryPersistence implements Persistence {
  readonly keepsValues = true

  open(): LoadedState {
    return { rows: [], compactRev: 0, leases: [] }
  }

  value(v: Version): Uint8Array {
    return v.value ?? empty
  }

  values(vs: Version[]): Uint8Array[] {
    return vs.map((v) => this.value(v))
  }

  write(): void {}

  async reclaim(): Promise<void> {}

  /** The store counts what the index holds (see MvccStore.status). */
  size() {
    return { dbSize: 0, dbSizeInUse: 0 }
  }

  close(): void {}
}
