// startEtcdShim(): serves any Backend over the etcd v3 gRPC API (KV, Watch, Lease, Maintenance.Status,
// Cluster.MemberList) so etcdctl and other etcd clients work against kubun's datastore.
// TCP only: etcdctl 3.4 fails against grpc-js over a unix socket (PROTOCOL_ERROR).
import * as grpc from '@grpc/grpc-js'
import type { Backend } from '../backend.ts'
import { kvService } from './kv-service.ts'
import { lessorService } from './lease-service.ts'
import { ListenAddressError, parseListenAddress } from './listen-address.ts'
import { clusterService, maintenanceService } from './maintenance-service.ts'
import { OpenStreams } from './open-streams.ts'
import { etcdServices } from './proto/load.ts'
import { watchService } from './watch-service.ts'

export { ListenAddressError, parseListenAddress } from './listen-address.ts'

export interface EtcdShim {
  /** "127.0.0.1:2379", with the real port when 0 was asked for */
  address: string
  close(): Promise<void>
}

/** TLS for a non-loopback address: the serving pair, and the CA whose client certificates are accepted. */
export interface EtcdShimTls {
  /** grpc-js checks client certificates against this one: the cluster's client CA */
  clientCaPem: string
  certPem: string
  keyPem: string
}

/** Plaintext on loopback; any other address needs `tls` (client certificates required), as etcd's
 * --client-cert-auth. Throws ListenAddressError for a malformed address or a non-loopback one without tls. */
export async function startEtcdShim(store: Backend, listen: string, tls?: EtcdShimTls): Promise<EtcdShim> {
  const addr = parseListenAddress(listen)
  if (!addr.loopback && !tls) {
    throw new ListenAddressError(`--etcd-listen ${listen}: a non-loopback address needs TLS certificates`)
  }
  const secure = !addr.loopback && tls
  const services = etcdServices()
  const streams = new OpenStreams()
  const server = new grpc.Server({
    // etcd: --max-request-bytes (1.5 MiB) plus 512 KiB of gRPC overhead; responses are unbounded.
    'grpc.max_receive_message_length': 2 * 1024 * 1024,
    'grpc.max_send_message_length': 2 ** 31 - 1,
  })
  let address = ''
  const clientUrl = () => `${secure ? 'https' : 'http'}://${address}`
  server.addService(services.KV, kvService(store))
  server.addService(services.Watch, watchService(store, streams))
  server.addService(services.Lease, lessorService(store, streams))
  server.addService(services.Maintenance, maintenanceService(store))
  server.addService(services.Cluster, clusterService(store, clientUrl))
  const port = await new Promise<number>((resolve, reject) => {
    const creds = secure
      ? grpc.ServerCredentials.createSsl(
          Buffer.from(secure.clientCaPem),
          [{ private_key: Buffer.from(secure.keyPem), cert_chain: Buffer.from(secure.certPem) }],
          true,
        )
      : grpc.ServerCredentials.createInsecure()
    server.bindAsync(addr.bind, creds, (err, p) =>
      err
        ? reject(new Error(`cannot listen on ${addr.bind}: ${err.message}; is that address on this host?`))
        : resolve(p),
    )
  })
  address = addr.bind.replace(/:\d+$/, `:${port}`)
  return {
    address,
    close: async () => {
      streams.endAll()
      await new Promise<void>((resolve) => {
        // Unary calls in flight get a moment to finish; then the rest is cut.
        const force = setTimeout(() => server.forceShutdown(), 1000)
        server.tryShutdown(() => {
          clearTimeout(force)
          resolve()
        })
      })
    },
  }
}
