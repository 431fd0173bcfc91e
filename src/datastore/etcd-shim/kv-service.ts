// etcdserverpb.KV over a Backend. Put and DeleteRange are one-op transactions: the Backend has one
// write primitive, and etcd itself applies them the same way.
import type { Backend } from '../backend.ts'
import { header } from './header.ts'
import {
  deleteFromWire,
  needsPostProcessing,
  putFromWire,
  rangeFromWire,
  txnFromWire,
  type WireDeleteRequest,
  type WirePutRequest,
  type WireRangeRequest,
  type WireTxnRequest,
} from './kv-requests.ts'
import { postProcessRange, rangeToWire, txnToWire } from './kv-responses.ts'
import { unary } from './unary.ts'
import { kvToWire, num } from './wire.ts'

export function kvService(store: Backend) {
  return {
    Range: unary(async (req: WireRangeRequest) => {
      const res = await store.range(rangeFromWire(req))
      return rangeToWire(needsPostProcessing(req) ? postProcessRange(req, res) : res)
    }),
    Put: unary(async (req: WirePutRequest) => {
      const res = await store.txn({ compare: [], success: [putFromWire(req)], failure: [] })
      const put = res.results[0]
      return {
        header: header(res.revision),
        prev_kv: put?.type === 'put' && put.prevKv ? kvToWire(put.prevKv) : undefined,
      }
    }),
    DeleteRange: unary(async (req: WireDeleteRequest) => {
      const res = await store.txn({ compare: [], success: [deleteFromWire(req)], failure: [] })
      const del = res.results[0]
      if (del?.type !== 'delete') return { header: header(res.revision), deleted: 0 }
      return { header: header(res.revision), deleted: del.deleted, prev_kvs: del.prevKvs.map(kvToWire) }
    }),
    Txn: unary(async (req: WireTxnRequest) => txnToWire(await store.txn(txnFromWire(req)), req)),
    Compact: unary(async (req: { revision?: string }) => {
      await store.compact(num(req.revision))
      return { header: header(store.currentRevision()) }
    }),
  }
}
