// Parses --etcd-listen and decides the transport: plaintext only on loopback; any other address is
// served over TLS with client certificates from the cluster's client CA (see startEtcdShim).
import { isIP } from 'node:net'

export class ListenAddressError extends Error {
  override name = 'ListenAddressError'
}

export interface ListenAddress {
  host: string
  port: number
  /** the form grpc-js binds: "127.0.0.1:2379", "[::1]:2379" */
  bind: string
  /** plaintext allowed; false = TLS with client certificates required */
  loopback: boolean
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
  if (host === '') {
    throw new ListenAddressError(`--etcd-listen "${listen}" has no host; use for example 127.0.0.1:${port || 2379}`)
  }
  const ip = host === 'localhost' ? '127.0.0.1' : host
  return { host: ip, port, bind: isIP(ip) === 6 ? `[${ip}]:${port}` : `${ip}:${port}`, loopback: isLoopback(host) }
}
