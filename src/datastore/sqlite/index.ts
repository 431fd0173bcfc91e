// The SQLite driver (`sqlite://`): the MVCC store over a revision-ordered table in bun:sqlite.
import type { Backend } from '../backend.ts'
import { type MvccOptions, MvccStore } from '../mvcc/mvcc-store.ts'
import { SqlitePersistence } from './sqlite-persistence.ts'

export interface SqliteOptions extends MvccOptions {
  /** fsync every commit (synchronous=FULL); default NORMAL, which survives a process kill */
  fullSync?: boolean
}

export function sqliteBackend(path: string, opts: SqliteOptions = {}): Backend {
  return new MvccStore(new SqlitePersistence(path, { fullSync: opts.fullSync }), opts)
}
