// A minimal etcd v3 gRPC client (KV.Put only) for workloads etcdctl is too slow to drive: the
// kill -9 durability check and the datastore bench. It works against any etcd endpoint.
import * as grpc from '@grpc/grpc-js'
import { etcdServices } from '../../src/datastore/etcd-shim/proto/load.ts'

export interface PutStreamOptions {
  concurrency: number
  /** stop after this many puts (default: until stopped by errors) */
  count?: number
  /** key for the n-th put (default `<prefix><n>`); e.g. `(n) => prefix + (n % 100)` for updates */
  keyOf?: (n: number) => string
  /** value bytes per put (default 16) */
  valueSize?: number
  /** called after each acknowledgement with the running total; awaited by that worker */
  onAck?: (n: number) => Promise<void> | void
  /** stop everything after this many failed puts (default 1) */
  stopAfterErrors?: number
  /** if given, each put's latency in ms is pushed here */
  latencies?: number[]
}

type Unary = (req: unknown, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: any) => void) => void
export type KvClient = grpc.Client & Record<'Range' | 'Put' | 'DeleteRange' | 'Txn' | 'Compact', Unary>

export function kvClient(endpoint: string): KvClient {
  const Ctor = grpc.makeGenericClientConstructor(etcdServices().KV, 'KV')
  return new Ctor(endpoint, grpc.credentials.createInsecure()) as unknown as KvClient
}

/** One KV call as a promise; requests use the .proto's snake_case fields, keys as Buffers. */
export function kvCall(
  client: KvClient,
  method: 'Range' | 'Put' | 'DeleteRange' | 'Txn' | 'Compact',
  req: unknown,
  timeoutMs = 60_000,
): Promise<any> {
  return new Promise((resolve, reject) => {
    client[method](req, { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res)))
  })
}

/** Puts `<prefix><n>` keys from `concurrency` workers; returns the keys the server acknowledged, in ack order. */
export async function putStream(endpoint: string, prefix: string, opts: PutStreamOptions): Promise<string[]> {
  const client = kvClient(endpoint)
  const value = Buffer.alloc(opts.valueSize ?? 16, 'x')
  const acked: string[] = []
  let next = 0
  let errors = 0
  let stopped = false
  const put = (key: string) => kvCall(client, 'Put', { key: Buffer.from(key, 'latin1'), value }, 10_000)
  const worker = async () => {
    while (!stopped && (opts.count === undefined || next < opts.count)) {
      const n = next++
      const key = opts.keyOf ? opts.keyOf(n) : `${prefix}${n}`
      const start = performance.now()
      try {
        await put(key)
      } catch {
        if (++errors >= (opts.stopAfterErrors ?? 1)) stopped = true
        continue
      }
      opts.latencies?.push(performance.now() - start)
      acked.push(key)
      await opts.onAck?.(acked.length)
    }
  }
  try {
    await Promise.all(Array.from({ length: opts.concurrency }, worker))
  } finally {
    client.close()
  }
  return acked
}
