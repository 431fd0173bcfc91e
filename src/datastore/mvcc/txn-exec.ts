// Executes one TxnRequest against the MVCC index at its head, as etcd's applyTxn: first the
// whole tree of compares is decided against the state before the txn (compareToPath), then the
// chosen ops run in order; reads inside the txn see its own earlier writes; every write gets
// the same new revision. Writes go straight into the index; on a throw the caller truncates.
import type { RangeRequest, RangeResult, TxnOp, TxnOpResult, TxnRequest, TxnResult } from '../backend.ts'
import {
  CompactedError,
  DatastoreError,
  DuplicateKeyError,
  FutureRevError,
  KeyNotFoundError,
  LeaseNotFoundError,
} from '../errors.ts'
import { compareHolds } from './compare.ts'
import type { KeyIndex, LogEntry } from './key-index.ts'
import { type Change, toKeyValue, type Version } from './version.ts'

export interface TxnEnv {
  index: KeyIndex
  /** the revision this txn's writes get (head + 1) */
  rev: number
  compactRev: number
  nextId(): number
  leaseExists(id: number): boolean
  value(v: Version): Uint8Array
  /** many values at once (one storage query for a big range) */
  values(vs: Version[]): Uint8Array[]
  /** lets the event loop run during a big delete (its writes are not visible to readers yet) */
  pause?: () => Promise<unknown>
}

export interface TxnOutcome {
  result: TxnResult
  changes: Change[]
}

const NOT_BINARY = /[^\x00-\xff]/

interface Path {
  succeeded: boolean
  nested: Path[]
}

/** Keys handled between pauses of a big delete. */
const DELETE_STEP = 5000

export async function executeTxn(env: TxnEnv, req: TxnRequest): Promise<TxnOutcome> {
  const path = decide(env, req)
  const changes: Change[] = []
  const result = await run(env, req, path, changes)
  fixRevision(result, changes.length ? env.rev : env.rev - 1)
  return { result, changes }
}

function decide(env: TxnEnv, req: TxnRequest): Path {
  const head = env.rev - 1
  const succeeded = req.compare.every((c) =>
    compareHolds(
      c,
      env.index.range(c.key, c.rangeEnd, head).map((e) => ({ v: e.v, value: () => env.value(e.v) })),
    ),
  )
  const ops = succeeded ? req.success : req.failure
  return { succeeded, nested: ops.filter((o) => o.type === 'txn').map((o) => decide(env, o.txn)) }
}

async function run(env: TxnEnv, req: TxnRequest, path: Path, changes: Change[]): Promise<TxnResult> {
  const ops = path.succeeded ? req.success : req.failure
  let nested = 0
  const results: TxnOpResult[] = []
  for (const op of ops) results.push(await runOp(env, op, changes, () => path.nested[nested++]))
  return { succeeded: path.succeeded, results, revision: 0 }
}

async function runOp(env: TxnEnv, op: TxnOp, changes: Change[], nextPath: () => Path): Promise<TxnOpResult> {
  switch (op.type) {
    case 'range':
      return { type: 'range', range: readRange(env, op.range, changes.length ? env.rev : env.rev - 1) }
    case 'txn':
      return { type: 'txn', txn: await run(env, op.txn, nextPath(), changes) }
    case 'put': {
      if (NOT_BINARY.test(op.key)) {
        // A char above 0xff would not survive storage as bytes: a caller forgot to encode.
        throw new DatastoreError(`key ${JSON.stringify(op.key)} is not a binary string: encode it as UTF-8 bytes first`)
      }
      if (op.lease && !env.leaseExists(op.lease)) throw new LeaseNotFoundError(op.lease)
      const last = env.index.latest(op.key)
      if (last?.rev === env.rev) throw new DuplicateKeyError(op.key)
      const prev = env.index.at(op.key, env.rev - 1)
      if ((op.ignoreValue || op.ignoreLease) && !prev) throw new KeyNotFoundError(op.key)
      const v: Version = {
        rev: env.rev,
        createRev: prev ? prev.createRev : env.rev,
        version: prev ? prev.version + 1 : 1,
        lease: op.ignoreLease ? prev!.lease : (op.lease ?? 0),
        id: env.nextId(),
        value: op.ignoreValue ? env.value(prev!) : op.value,
      }
      env.index.append(op.key, v)
      changes.push({ key: op.key, v, prev })
      return { type: 'put', prevKv: op.prevKv && prev ? toKeyValue(op.key, prev, env.value(prev)) : undefined }
    }
    case 'delete': {
      // A slice of keys at a time, pausing between slices, so deleting 200k keys does not
      // hold the event loop: the tombstones stay invisible until the whole group commits.
      const found: LogEntry[] = []
      let start = op.key
      for (;;) {
        const part = env.index.range(start, op.rangeEnd, env.rev, DELETE_STEP)
        for (const { key, v: prev } of part) {
          if (prev.rev === env.rev) throw new DuplicateKeyError(key)
          const v: Version = { rev: env.rev, createRev: 0, version: 0, lease: 0, id: env.nextId() }
          env.index.append(key, v)
          changes.push({ key, v, prev })
          found.push({ key, v: prev })
        }
        if (part.length < DELETE_STEP) break
        start = `${part[part.length - 1].key}\0`
        await env.pause?.()
      }
      return {
        type: 'delete',
        deleted: found.length,
        prevKvs: op.prevKv ? withValues(env, found) : [],
      }
    }
  }
}

/** A range as of `head` (or the request's revision), etcd's checks included. */
export function readRange(
  env: Pick<TxnEnv, 'index' | 'compactRev' | 'values'>,
  req: RangeRequest,
  head: number,
): RangeResult {
  const rev = req.revision || head
  if (rev > head) throw new FutureRevError(rev)
  if (rev < env.compactRev) throw new CompactedError(rev, env.compactRev)
  const found = env.index.range(req.key, req.rangeEnd, rev)
  const limited = req.limit && req.limit > 0 ? found.slice(0, req.limit) : found
  return {
    kvs: req.countOnly
      ? []
      : req.keysOnly
        ? limited.map((e) => toKeyValue(e.key, e.v, undefined))
        : withValues(env, limited),
    count: found.length,
    more: limited.length < found.length,
    revision: head,
  }
}

function withValues(env: Pick<TxnEnv, 'values'>, entries: { key: string; v: Version }[]) {
  const values = env.values(entries.map((e) => e.v))
  return entries.map((e, i) => toKeyValue(e.key, e.v, values[i]))
}

function fixRevision(r: TxnResult, rev: number): void {
  r.revision = rev
  for (const op of r.results) if (op.type === 'txn') fixRevision(op.txn, rev)
}
