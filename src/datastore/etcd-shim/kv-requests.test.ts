import { describe, expect, test } from 'bun:test'
import { EtcdRequestError } from './grpc-errors.ts'
import { compareFromWire, MAX_TXN_OPS, rangeFromWire, txnFromWire } from './kv-requests.ts'
import { postProcessRange } from './kv-responses.ts'

const b = (s: string) => Buffer.from(s, 'latin1')
const kv = (key: string, modRevision: number, createRevision = modRevision) => ({
  key,
  value: new Uint8Array(),
  createRevision,
  modRevision,
  version: 1,
  lease: 0,
})

describe('rangeFromWire', () => {
  test('keeps key bytes exactly, including bytes above 0x7f', () => {
    const r = rangeFromWire({ key: Buffer.from([0x61, 0xff, 0x80]), range_end: Buffer.from([0x62]) })
    expect([...Buffer.from(r.key, 'latin1')]).toEqual([0x61, 0xff, 0x80])
    expect(r.rangeEnd).toBe('b')
  })
  test('an empty range_end means the single key; "\\0" means every key from key on', () => {
    expect(rangeFromWire({ key: b('a'), range_end: b('') }).rangeEnd).toBeUndefined()
    expect(rangeFromWire({ key: b('a'), range_end: b('\0') }).rangeEnd).toBe('\0')
  })
  test('revision and limit come from int64 strings; 0 means unset', () => {
    expect(rangeFromWire({ key: b('a'), revision: '7', limit: '0' })).toMatchObject({ revision: 7, limit: undefined })
  })
  test('a sorted read fetches without limit so the limit applies after sorting', () => {
    expect(rangeFromWire({ key: b('a'), limit: '2', sort_order: 'DESCEND' }).limit).toBeUndefined()
  })
  test('an empty key is refused as etcd does', () => {
    expect(() => rangeFromWire({ key: b('') })).toThrow('etcdserver: key is not provided')
  })
})

describe('postProcessRange', () => {
  const res = { kvs: [kv('a', 5), kv('b', 3), kv('c', 9)], count: 3, more: false, revision: 9 }
  test('descending by key, then limit, sets more', () => {
    const out = postProcessRange({ sort_order: 'DESCEND', limit: '2' }, res)
    expect(out.kvs.map((k) => k.key)).toEqual(['c', 'b'])
    expect(out.more).toBe(true)
  })
  test('sort by mod revision without an order is ascending', () => {
    expect(postProcessRange({ sort_target: 'MOD' }, res).kvs.map((k) => k.key)).toEqual(['b', 'a', 'c'])
  })
  test('min/max mod revision filters', () => {
    expect(postProcessRange({ min_mod_revision: '4', max_mod_revision: '8' }, res).kvs.map((k) => k.key)).toEqual(['a'])
  })
})

describe('txnFromWire', () => {
  test('compares map target and result', () => {
    expect(compareFromWire({ key: b('k'), target: 'MOD', result: 'EQUAL', mod_revision: '0' })).toEqual({
      key: 'k',
      rangeEnd: undefined,
      target: 'mod',
      result: 'equal',
      value: 0,
    })
    expect(compareFromWire({ key: b('k'), target: 'VALUE', result: 'NOT_EQUAL', value: b('v') })).toMatchObject({
      target: 'value',
      result: 'not_equal',
    })
  })
  test('nested ops translate recursively', () => {
    const t = txnFromWire({
      success: [{ request_put: { key: b('k'), value: b('v'), lease: '0' } }],
      failure: [{ request_txn: { success: [{ request_delete_range: { key: b('a'), range_end: b('b') } }] } }],
    })
    expect(t.success[0]).toMatchObject({ type: 'put', key: 'k' })
    expect(t.failure[0]).toMatchObject({ type: 'txn', txn: { success: [{ type: 'delete', key: 'a', rangeEnd: 'b' }] } })
  })
  test('refuses the same key put twice, or put and deleted, in one branch', () => {
    const put = { request_put: { key: b('k') } }
    expect(() => txnFromWire({ success: [put, put] })).toThrow('etcdserver: duplicate key given in txn request')
    expect(() => txnFromWire({ success: [put, { request_delete_range: { key: b('a'), range_end: b('z') } }] })).toThrow(
      EtcdRequestError,
    )
    expect(() => txnFromWire({ success: [put], failure: [put] })).not.toThrow()
  })
  test('refuses more than etcd max-txn-ops operations', () => {
    const ops = Array.from({ length: MAX_TXN_OPS + 1 }, (_, i) => ({ request_put: { key: b(`k${i}`) } }))
    expect(() => txnFromWire({ success: ops })).toThrow('etcdserver: too many operations in txn request')
  })
})

describe('txnToWire', () => {
  test('an inner range with a sort order is sorted and limited like a plain Range', async () => {
    const { txnToWire } = await import('./kv-responses.ts')
    const range = { kvs: [kv('a', 2), kv('b', 3), kv('c', 4)], count: 3, more: false, revision: 4 }
    const wire = txnToWire(
      { succeeded: true, revision: 4, results: [{ type: 'range', range }] },
      { success: [{ request_range: { key: b('a'), range_end: b('d'), sort_order: 'DESCEND', limit: '1' } }] },
    )
    const inner = wire.responses[0].response_range as { kvs: { key: Buffer }[]; more: boolean }
    expect(inner.kvs.map((x) => x.key.toString())).toEqual(['c'])
    expect(inner.more).toBe(true)
  })
})
