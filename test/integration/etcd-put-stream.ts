// A minimal etcd v3 gRPC client (KV.Put only) for workloads etcdctl is too slow to drive: the
// kill -9 durability check and the datastore bench. It works against any etcd endpoint.
import * as grpc from '@grpc/grpc-js'
import { etcdServices } from '../../src/datastore/etcd-shim/proto/load.ts'

export interface PutStreamOptions {
  concurrency: number
  /** stop after this many acknowledged puts (default: until stopped by errors) */
  count?: number
  /** value bytes per put (default 16) */
  valueSize?: number
  /** called after each acknowledgement with the running total; awaited by that worker */
  onAck?: (n: number) => Promise<void> | void
  /** stop everything after this many failed puts (default 1) */
  stopAfterErrors?: number
  /** if given, each put's latency in ms is pushed here */
  latencies?: number[]
}

type PutClient = grpc.Client & {
  Put(req: unknown, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null) => void): void
}

export function kvClient(endpoint: string): PutClient {
  const Ctor = grpc.makeGenericClientConstructor(etcdServices().KV, 'KV')
  return new Ctor(endpoint, grpc.credentials.createInsecure()) as unknown as PutClient
}

/** Puts `<prefix><n>` keys from `concurrency` workers; returns the keys the server acknowledged, in ack order. */
export async function putStream(endpoint: string, prefix: string, opts: PutStreamOptions): Promise<string[]> {
  const client = kvClient(endpoint)
  const value = Buffer.alloc(opts.valueSize ?? 16, 'x')
  const acked: string[] = []
  let next = 0
  let errors = 0
  let stopped = false
  const put = (key: string) =>
    new Promise<void>((resolve, reject) => {
      client.Put({ key: Buffer.from(key, 'latin1'), value }, { deadline: Date.now() + 10_000 }, (err) =>
        err ? reject(err) : resolve(),
      )
    })
  const worker = async () => {
    while (!stopped && (opts.count === undefined || next < opts.count)) {
      const key = `${prefix}${next++}`
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
