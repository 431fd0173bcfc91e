// The memory driver keeps values on the index's versions; nothing to load, write or reclaim.
import type { LoadedState, Persistence, WriteBatch } from '../mvcc/persistence.ts'
import type { Version } from '../mvcc/version.ts'

const empty = new Uint8Array(0)

export class MemoryPersistence implements Persistence {
  readonly keepsValues = true
  private bytes = 0

  open(): LoadedState {
    return { rows: [], compactRev: 0, leases: [] }
  }

  value(v: Version): Uint8Array {
    return v.value ?? empty
  }

  write(batch: WriteBatch): void {
    for (const r of batch.rows) this.bytes += r.key.length + (r.v.value?.length ?? 0)
  }

  async reclaim(): Promise<void> {}

  size() {
    return { dbSize: this.bytes, dbSizeInUse: this.bytes }
  }

  close(): void {}
}
