// The on-disk layout, chosen for few bytes written per update (SD cards): one table clustered
// by write order (id), so an update appends to the rightmost leaf page and touches nothing
// else — no secondary index. Lookups by key use the in-memory index (as etcd's treeIndex over
// bbolt's revision-keyed bucket); prevKv is read from the previous row, never copied.
// Tombstones (deletes) are rows with version 0 and no value. Compaction deletes superseded rows.

/** 'kubn': marks the file as ours, so a kine or other SQLite file is refused, not misread. */
export const APPLICATION_ID = 0x6b75626e
export const SCHEMA_VERSION = 1

export const CREATE = `
CREATE TABLE IF NOT EXISTS kv (
  id INTEGER PRIMARY KEY,
  rev INTEGER NOT NULL,
  key BLOB NOT NULL,
  create_rev INTEGER NOT NULL,
  version INTEGER NOT NULL,
  lease INTEGER NOT NULL,
  value BLOB
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lease (id INTEGER PRIMARY KEY, ttl INTEGER NOT NULL);
`

export const keyToBlob = (key: string) => Buffer.from(key, 'latin1')
export const blobToKey = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1')
