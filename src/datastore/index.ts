// Drivers chosen by URL scheme, as kine's endpoint: `sqlite://` (default, embedded) and
// `memory://` (reference driver, tests). `postgres://` and `etcd://` come with the HA issue.
import { join } from 'node:path'
import type { Backend } from './backend.ts'
import { DatastoreError } from './errors.ts'
import { memoryBackend } from './memory/index.ts'
import type { MvccOptions } from './mvcc/mvcc-store.ts'
import { sqliteBackend } from './sqlite/index.ts'

export type BackendOptions = MvccOptions

export type Endpoint = { driver: 'memory' } | { driver: 'sqlite'; path: string; fullSync?: boolean }

const SUPPORTED = 'sqlite:///path/to/state.db, memory://'

/**
 * `sqlite:///abs/path.db` (or `sqlite://relative/path.db`, taken as given) → SQLite file;
 * query parameter `sync=full` fsyncs every commit (survives power loss, slower, more wear).
 * `memory://` → in-memory store. Messages never repeat the URL: it may hold a password.
 */
export function parseEndpoint(url: string): Endpoint {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(url)
  if (!m) throw new DatastoreError(`invalid datastore endpoint: expected one of ${SUPPORTED}`)
  const [, scheme, rest] = m
  switch (scheme.toLowerCase()) {
    case 'memory':
      return { driver: 'memory' }
    case 'sqlite': {
      const [path, query = ''] = rest.split('?', 2)
      if (!path)
        throw new DatastoreError('datastore endpoint sqlite:// has no file path: use sqlite:///path/to/state.db')
      const fullSync = new URLSearchParams(query).get('sync') === 'full'
      return { driver: 'sqlite', path: decodeURIComponent(path), ...(fullSync && { fullSync }) }
    }
    default:
      throw new DatastoreError(
        `unsupported datastore endpoint scheme "${scheme}://": supported are ${SUPPORTED} (postgres:// and etcd:// are not available yet)`,
      )
  }
}

/** The driver for `url`; nothing is opened until `start()`. */
export function openBackend(url: string, opts: BackendOptions = {}): Backend {
  const ep = parseEndpoint(url)
  if (ep.driver === 'memory') return memoryBackend(opts)
  return sqliteBackend(ep.path, { ...opts, fullSync: ep.fullSync })
}

/** k3s's layout: <data-dir>/server/db/state.db */
export function defaultEndpoint(dataDir: string): string {
  return `sqlite://${join(dataDir, 'server', 'db', 'state.db')}`
}
