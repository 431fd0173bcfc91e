// Pure translation of Backend results into etcd KV responses, including the sort and revision
// filters etcd applies after reading (server/etcdserver/apply.go: filter, sort, then truncate to limit).
import type { KeyValue, RangeResult, TxnOpResult, TxnResult } from '../backend.ts'
import { header } from './header.ts'
import { needsPostProcessing, type WireRangeRequest, type WireRequestOp, type WireTxnRequest } from './kv-requests.ts'
import { kvToWire, num } from './wire.ts'

export function postProcessRange(req: WireRangeRequest, res: RangeResult): RangeResult {
  let kvs = res.kvs.filter((kv) => {
    const minMod = num(req.min_mod_revision)
    const maxMod = num(req.max_mod_revision)
    const minCreate = num(req.min_create_revision)
    const maxCreate = num(req.max_create_revision)
    return (
      (!minMod || kv.modRevision >= minMod) &&
      (!maxMod || kv.modRevision <= maxMod) &&
      (!minCreate || kv.createRevision >= minCreate) &&
      (!maxCreate || kv.createRevision <= maxCreate)
    )
  })
  const order = req.sort_order ?? 'NONE'
  // etcd: a sort target without an order means ascending.
  if (order !== 'NONE' || (req.sort_target ?? 'KEY') !== 'KEY') {
    const by = sortKey[req.sort_target ?? 'KEY']
    kvs = [...kvs].sort((a, b) => cmp(by(a), by(b)))
    if (order === 'DESCEND') kvs.reverse()
  }
  const limit = num(req.limit)
  const more = limit > 0 && kvs.length > limit
  if (more) kvs = kvs.slice(0, limit)
  return { ...res, kvs, more: more || res.more }
}

const sortKey: Record<NonNullable<WireRangeRequest['sort_target']>, (kv: KeyValue) => string | number> = {
  KEY: (kv) => kv.key,
  VERSION: (kv) => kv.version,
  CREATE: (kv) => kv.createRevision,
  MOD: (kv) => kv.modRevision,
  VALUE: (kv) => Buffer.from(kv.value).toString('latin1'),
}
const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0)

export function rangeToWire(res: RangeResult) {
  return { header: header(res.revision), kvs: res.kvs.map(kvToWire), more: res.more, count: res.count }
}

// etcd fills only the revision in the headers of a txn's inner responses.
function opResultToWire(r: TxnOpResult, revision: number, op: WireRequestOp | undefined): Record<string, unknown> {
  const inner = { revision }
  switch (r.type) {
    case 'range': {
      const req = op?.request_range
      const range = req && needsPostProcessing(req) ? postProcessRange(req, r.range) : r.range
      return { response_range: { ...rangeToWire(range), header: inner } }
    }
    case 'put':
      return { response_put: { header: inner, prev_kv: r.prevKv && kvToWire(r.prevKv) } }
    case 'delete':
      return {
        response_delete_range: { header: inner, deleted: r.deleted, prev_kvs: r.prevKvs.map(kvToWire) },
      }
    case 'txn':
      return { response_txn: { ...txnToWire(r.txn, op?.request_txn), header: inner } }
  }
}

/** `req` (the wire request) lets sorted or filtered inner ranges get the same post-processing as Range. */
export function txnToWire(res: TxnResult, req?: WireTxnRequest) {
  const ops = (res.succeeded ? req?.success : req?.failure) ?? []
  return {
    header: header(res.revision),
    succeeded: res.succeeded,
    responses: res.results.map((r, i) => opResultToWire(r, res.revision, ops[i])),
  }
}
