// Pure translation of etcd KV requests into Backend requests, with etcd's request validation
// (api/v3rpc/key.go: empty key, too many txn ops, duplicate keys in one txn branch).
import type { Compare, CompareResult, RangeRequest, TxnOp, TxnRequest } from '../backend.ts'
import { ETCD_ERRORS, EtcdRequestError } from './grpc-errors.ts'
import { keyFromWire, num, rangeEndFromWire } from './wire.ts'

/** etcd's default --max-txn-ops. */
export const MAX_TXN_OPS = 128

export interface WireRangeRequest {
  key?: Buffer
  range_end?: Buffer
  limit?: string
  revision?: string
  sort_order?: 'NONE' | 'ASCEND' | 'DESCEND'
  sort_target?: 'KEY' | 'VERSION' | 'CREATE' | 'MOD' | 'VALUE'
  keys_only?: boolean
  count_only?: boolean
  min_mod_revision?: string
  max_mod_revision?: string
  min_create_revision?: string
  max_create_revision?: string
}
export interface WirePutRequest {
  key?: Buffer
  value?: Buffer
  lease?: string
  prev_kv?: boolean
  ignore_value?: boolean
  ignore_lease?: boolean
}
export interface WireDeleteRequest {
  key?: Buffer
  range_end?: Buffer
  prev_kv?: boolean
}
export interface WireCompare {
  result: 'EQUAL' | 'GREATER' | 'LESS' | 'NOT_EQUAL'
  target: 'VERSION' | 'CREATE' | 'MOD' | 'VALUE' | 'LEASE'
  key?: Buffer
  range_end?: Buffer
  version?: string
  create_revision?: string
  mod_revision?: string
  value?: Buffer
  lease?: string
}
export interface WireRequestOp {
  request_range?: WireRangeRequest
  request_put?: WirePutRequest
  request_delete_range?: WireDeleteRequest
  request_txn?: WireTxnRequest
}
export interface WireTxnRequest {
  compare?: WireCompare[]
  success?: WireRequestOp[]
  failure?: WireRequestOp[]
}

function requireKey(b: Buffer | undefined): string {
  if (!b || b.length === 0) throw new EtcdRequestError(ETCD_ERRORS.emptyKey)
  return keyFromWire(b)
}

/** Sorting other than ascending by key and mod/create revision filters are applied by the shim after the read. */
export function needsPostProcessing(r: WireRangeRequest): boolean {
  const order = r.sort_order ?? 'NONE'
  const sortedByKeyAsc = order === 'NONE' || (order === 'ASCEND' && (r.sort_target ?? 'KEY') === 'KEY')
  const filtered = [r.min_mod_revision, r.max_mod_revision, r.min_create_revision, r.max_create_revision].some(
    (v) => num(v) > 0,
  )
  return !sortedByKeyAsc || filtered
}

export function rangeFromWire(r: WireRangeRequest): RangeRequest {
  const post = needsPostProcessing(r)
  return {
    key: requireKey(r.key),
    rangeEnd: rangeEndFromWire(r.range_end),
    revision: num(r.revision) || undefined,
    // With post-processing the limit applies after sort/filter, so read everything first (as etcd does).
    limit: post ? undefined : num(r.limit) || undefined,
    countOnly: r.count_only || undefined,
    keysOnly: r.keys_only || undefined,
  }
}

export function putFromWire(p: WirePutRequest): TxnOp {
  return {
    type: 'put',
    key: requireKey(p.key),
    value: p.value ?? new Uint8Array(),
    lease: num(p.lease),
    prevKv: p.prev_kv || undefined,
    ignoreValue: p.ignore_value || undefined,
    ignoreLease: p.ignore_lease || undefined,
  }
}

export function deleteFromWire(d: WireDeleteRequest): TxnOp {
  return {
    type: 'delete',
    key: requireKey(d.key),
    rangeEnd: rangeEndFromWire(d.range_end),
    prevKv: d.prev_kv || undefined,
  }
}

const compareResults: Record<WireCompare['result'], CompareResult> = {
  EQUAL: 'equal',
  GREATER: 'greater',
  LESS: 'less',
  NOT_EQUAL: 'not_equal',
}

export function compareFromWire(c: WireCompare): Compare {
  const base = { key: keyFromWire(c.key), rangeEnd: rangeEndFromWire(c.range_end), result: compareResults[c.result] }
  switch (c.target) {
    case 'VALUE':
      return { ...base, target: 'value', value: c.value ?? new Uint8Array() }
    case 'VERSION':
      return { ...base, target: 'version', value: num(c.version) }
    case 'CREATE':
      return { ...base, target: 'create', value: num(c.create_revision) }
    case 'MOD':
      return { ...base, target: 'mod', value: num(c.mod_revision) }
    case 'LEASE':
      return { ...base, target: 'lease', value: num(c.lease) }
  }
}

export function opFromWire(op: WireRequestOp): TxnOp {
  if (op.request_range) return { type: 'range', range: rangeFromWire(op.request_range) }
  if (op.request_put) return putFromWire(op.request_put)
  if (op.request_delete_range) return deleteFromWire(op.request_delete_range)
  if (op.request_txn) return { type: 'txn', txn: txnFromWire(op.request_txn) }
  throw new EtcdRequestError(ETCD_ERRORS.emptyKey)
}

export function txnFromWire(t: WireTxnRequest): TxnRequest {
  const compare = t.compare ?? []
  const success = t.success ?? []
  const failure = t.failure ?? []
  if (compare.length > MAX_TXN_OPS || success.length > MAX_TXN_OPS || failure.length > MAX_TXN_OPS) {
    throw new EtcdRequestError(ETCD_ERRORS.tooManyOps)
  }
  const req = {
    compare: compare.map(compareFromWire),
    success: success.map(opFromWire),
    failure: failure.map(opFromWire),
  }
  checkDuplicatePuts(req.success)
  checkDuplicatePuts(req.failure)
  return req
}

/** As etcd: one branch may not put the same key twice, nor put a key it also deletes. */
function checkDuplicatePuts(ops: TxnOp[]): void {
  const puts = new Set<string>()
  for (const op of ops) {
    if (op.type !== 'put') continue
    if (puts.has(op.key)) throw new EtcdRequestError(ETCD_ERRORS.duplicateKey)
    puts.add(op.key)
  }
  for (const op of ops) {
    if (op.type !== 'delete') continue
    for (const key of puts) {
      const inRange =
        op.rangeEnd === undefined ? key === op.key : key >= op.key && (op.rangeEnd === '\0' || key < op.rangeEnd)
      if (inRange) throw new EtcdRequestError(ETCD_ERRORS.duplicateKey)
    }
  }
}
