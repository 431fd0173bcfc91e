// The in-memory driver (`memory://`): the reference implementation of the Backend contract and
// the store for unit tests. Everything is lost when the process exits.
import type { Backend } from '../backend.ts'
import { type MvccOptions, MvccStore } from '../mvcc/mvcc-store.ts'
import { MemoryPersistence } from './memory-persistence.ts'

export function memoryBackend(opts: MvccOptions = {}): Backend {
  return new MvccStore(new MemoryPersistence(), opts)
}
