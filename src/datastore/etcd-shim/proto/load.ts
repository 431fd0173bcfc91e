// Loads the etcd v3 service definitions. The .proto texts are imported as strings so
// `bun build --compile` embeds them: the compiled binary reads no proto file from disk.
import * as grpc from '@grpc/grpc-js'
import { fromJSON } from '@grpc/proto-loader'
import protobuf from 'protobufjs'
import cluster from './cluster.proto' with { type: 'text' }
import header from './header.proto' with { type: 'text' }
import kv from './kv.proto' with { type: 'text' }
import lease from './lease.proto' with { type: 'text' }
import maintenance from './maintenance.proto' with { type: 'text' }
import mvccKv from './mvcc-kv.proto' with { type: 'text' }
import watch from './watch.proto' with { type: 'text' }

const sources = [mvccKv, header, kv, watch, lease, maintenance, cluster]

/** What handlers see: snake_case field names as in the .proto, int64 as decimal strings, enums as names, bytes as Buffers. */
export const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true }

export interface EtcdServices {
  KV: grpc.ServiceDefinition
  Watch: grpc.ServiceDefinition
  Lease: grpc.ServiceDefinition
  Maintenance: grpc.ServiceDefinition
  Cluster: grpc.ServiceDefinition
}

let cached: EtcdServices | undefined

export function etcdServices(): EtcdServices {
  if (cached) return cached
  // All files share one root, so cross-file type names resolve without following `import` lines.
  const root = new protobuf.Root()
  for (const text of sources) protobuf.parse(text, root, { keepCase: true })
  const pkg = grpc.loadPackageDefinition(fromJSON(root.toJSON(), LOADER_OPTIONS))
  const etcd = pkg.etcdserverpb as Record<string, { service: grpc.ServiceDefinition }>
  cached = {
    KV: etcd.KV.service,
    Watch: etcd.Watch.service,
    Lease: etcd.Lease.service,
    Maintenance: etcd.Maintenance.service,
    Cluster: etcd.Cluster.service,
  }
  return cached
}
