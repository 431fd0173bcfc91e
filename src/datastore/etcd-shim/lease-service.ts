// etcdserverpb.Lease over a Backend, with etcd 3.4's answers for unknown leases: KeepAlive replies
// TTL 0 and TimeToLive replies TTL -1 instead of failing (api/v3rpc/lease.go).
import { type handleBidiStreamingCall, status as Status } from '@grpc/grpc-js'
import type { Backend } from '../backend.ts'
import { LeaseNotFoundError } from '../errors.ts'
import { ETCD_ERRORS, EtcdRequestError, toGrpcError } from './grpc-errors.ts'
import { header } from './header.ts'
import type { OpenStreams } from './open-streams.ts'
import { unary } from './unary.ts'
import { keyToWire, num } from './wire.ts'

/** etcd's minimum lease TTL with default timings: ceil(1.5 × election timeout of 1 s). */
export const MIN_LEASE_TTL = 2
/** etcd's MaxLeaseTTL (9,000,000,000 s). */
export const MAX_LEASE_TTL = 9_000_000_000

export function lessorService(store: Backend, streams: OpenStreams) {
  return {
    LeaseGrant: unary(async (req: { TTL?: string; ID?: string }) => {
      const ttl = num(req.TTL)
      if (ttl > MAX_LEASE_TTL) throw new EtcdRequestError(ETCD_ERRORS.leaseTtlTooLarge)
      const lease = await store.leaseGrant(Math.max(ttl, MIN_LEASE_TTL), requestedLeaseId(req.ID))
      return { header: header(store.currentRevision()), ID: lease.id, TTL: lease.ttl }
    }),
    LeaseRevoke: unary(async (req: { ID?: string }) => {
      await store.leaseRevoke(num(req.ID))
      return { header: header(store.currentRevision()) }
    }),
    LeaseTimeToLive: unary(async (req: { ID?: string; keys?: boolean }) => {
      const id = num(req.ID)
      try {
        const info = await store.leaseTimeToLive(id, req.keys)
        return {
          header: header(store.currentRevision()),
          ID: id,
          TTL: info.remaining,
          grantedTTL: info.ttl,
          keys: req.keys ? info.keys.map(keyToWire) : [],
        }
      } catch (err) {
        if (err instanceof LeaseNotFoundError) return { header: header(store.currentRevision()), ID: id, TTL: -1 }
        throw err
      }
    }),
    LeaseLeases: unary(async () => ({
      header: header(store.currentRevision()),
      leases: (await store.leaseList()).map((ID) => ({ ID })),
    })),
    LeaseKeepAlive: keepAliveStream(store, streams),
  }
}

/**
 * A client-chosen lease ID. Lease IDs are numbers below 2^53 in this store (it picks such IDs
 * itself); a larger one would be silently rounded, so it is refused instead.
 */
function requestedLeaseId(id: string | undefined): number | undefined {
  if (!id || id === '0') return undefined
  if (BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER) || BigInt(id) < 0n) {
    throw new EtcdRequestError({
      code: Status.INVALID_ARGUMENT,
      details: 'etcdserver: kubun supports lease IDs between 1 and 2^53-1; omit the ID to let the server choose one',
    })
  }
  return Number(id)
}

function keepAliveStream(store: Backend, streams: OpenStreams): handleBidiStreamingCall<{ ID?: string }, unknown> {
  return (call) => {
    let open = true
    const finish = () => {
      if (!open) return
      open = false
      unregister()
      call.end()
    }
    const unregister = streams.add(finish)
    call.on('data', (req: { ID?: string }) => {
      const id = num(req.ID)
      store.leaseKeepAlive(id).then(
        (info) => open && call.write({ header: header(store.currentRevision()), ID: id, TTL: info.ttl }),
        (err) => {
          if (!open) return
          if (err instanceof LeaseNotFoundError) call.write({ header: header(store.currentRevision()), ID: id, TTL: 0 })
          else {
            open = false
            call.emit('error', toGrpcError(err))
          }
        },
      )
    })
    call.on('end', finish)
    const drop = () => {
      open = false
      unregister()
    }
    call.on('cancelled', drop)
    call.on('error', drop)
  }
}
