// Parses --etcd-listen and enforces the transport rule: plaintext only on loopback. Any other
// address needs TLS with client certificates from the cluster CA, which arrives with the API server.
import { isIP } from 'node:net'

export class ListenAddressError extends Error {
  override name = 'ListenAddressError'
}

export interface ListenAddress {
  host: string
  port: number
  /** the form grpc-js binds: "127.0.0.1:2379", "[::1]:2379" */
  bind: string
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true
  if (isIP(host) === 4) return host.startsWith('127.')
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1'
  return false
}

export function parseListenAddress(listen: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen.trim())
  if (!m) {
    throw new ListenAddressError(`--etcd-listen "${listen}" is not HOST:PORT; use for example 127.0.0.1:2379`)
  }
  const host = (m[1] ?? m[2]) || ''
  const port = Number(m[3])
  if (port > 65535) throw new ListenAddressError(`--etcd-listen "${listen}": port must be between 0 and 65535`)
  if (!isLoopback(host)) {
    throw new ListenAddressError(
      `--etcd-listen ${listen}: serving the etcd API on a non-loopback address requires TLS with the cluster CA, which arrives with the API server; use 127.0.0.1:${port || 2379}`,
    )
  }
  const ip = host === 'localhost' ? '127.0.0.1' : host
  return { host: ip, port, bind: isIP(ip) === 6 ? `[${ip}]:${port}` : `${ip}:${port}` }
}
