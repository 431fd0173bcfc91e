// Drivers chosen by URL scheme, as kine's endpoint: `sqlite://` (default, embedded) and
// `memory://` (reference driver, tests). `postgres://` and `etcd://` come with the HA issue.
import { join } from 'node:path'
import type { Backend } from './backend.ts'
import { DatastoreError } from './errors.ts'
import { memoryBackend } from './memory/index.ts'
import type { MvccOptions } from './mvcc/mvcc-store.ts'
import { sqliteBackend } from './sqlite/index.ts'

export type BackendOptions = MvccOptions

const SUPPORTED = 'sqlite:///path/to/state.db, memory://'

/**
 * `sqlite:///abs/path.db` (or `sqlite://relative/path.db`, taken as given) → SQLite file;
 * query parameter `sync=full` makes every commit fsync (survives power loss, slower).
 * `memory://` → in-memory store. Does not open anything: call `start()`.
 */
export function openBackend(url: string, opts: BackendOptions = {}): Backend {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(url)
  if (!m) throw new DatastoreError(`invalid datastore endpoint "${url}": expected one of ${SUPPORTED}`)
  const [, scheme, rest] = m
  switch (scheme.toLowerCase()) {
    case 'memory':
      return memoryBackend(opts)
    case 'sqlite': {
      const [path, query = ''] = rest.split('?', 2)
      if (!path)
        throw new DatastoreError(`datastore endpoint "${url}" has no file path: use sqlite:///path/to/state.db`)
      const sync = new URLSearchParams(query).get('sync')
      return sqliteBackend(decodeURIComponent(path), { ...opts, fullSync: sync === 'full' })
    }
    default:
      throw new DatastoreError(
        `unsupported datastore endpoint scheme "${scheme}://": supported are ${SUPPORTED} (postgres:// and etcd:// are not available yet)`,
      )
  }
}

/** k3s's layout: <data-dir>/server/db/state.db */
export function defaultEndpoint(dataDir: string): string {
  return `sqlite://${join(dataDir, 'server', 'db', 'state.db')}`
}
