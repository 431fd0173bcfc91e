import { describe, expect, test } from 'bun:test'
import { DatastoreError } from './errors.ts'
import { defaultEndpoint, openBackend, parseEndpoint } from './index.ts'

describe('openBackend', () => {
  test.each([
    ['sqlite:///var/lib/kubun/server/db/state.db', { driver: 'sqlite', path: '/var/lib/kubun/server/db/state.db' }],
    ['sqlite://data/state.db', { driver: 'sqlite', path: 'data/state.db' }],
    ['sqlite:///tmp/a%20b.db?sync=full', { driver: 'sqlite', path: '/tmp/a b.db', fullSync: true }],
    ['SQLITE:///x.db', { driver: 'sqlite', path: '/x.db' }],
    ['memory://', { driver: 'memory' }],
  ])('%s', (url, want) => {
    expect(parseEndpoint(url)).toEqual(want as ReturnType<typeof parseEndpoint>)
  })

  test.each([
    ['postgres://user@host/db', 'unsupported datastore endpoint scheme "postgres://"'],
    ['etcd://127.0.0.1:2379', 'supported are sqlite:///path/to/state.db, memory://'],
    ['/var/lib/state.db', 'invalid datastore endpoint'],
    ['sqlite://', 'has no file path'],
  ])('%s is refused clearly', (url, message) => {
    expect(() => openBackend(url)).toThrow(DatastoreError)
    expect(() => openBackend(url)).toThrow(message)
  })

  test('the default endpoint follows the k3s layout', () => {
    expect(defaultEndpoint('/var/lib/kubun')).toBe('sqlite:///var/lib/kubun/server/db/state.db')
  })

  test('a password in a URL never reaches the error message', () => {
    expect(() => openBackend('postgres://kube:s3cret@db/k')).not.toThrow(/s3cret/)
  })
})
