// Events expire after --event-ttl: each is written with a datastore lease. As upstream's lease manager,
// one lease is shared by the writes of a minute instead of one lease per event.
import type { Backend } from '../../../datastore/backend.ts'

const REUSE_MS = 60_000

export class EventLeases {
  private lease?: { id: number; grantedAt: number }
  private pending?: Promise<number>

  constructor(
    private backend: Backend,
    private ttlSeconds: number,
  ) {}

  current(): Promise<number> {
    const now = Date.now()
    if (this.lease && now - this.lease.grantedAt < REUSE_MS) return Promise.resolve(this.lease.id)
    this.pending ??= this.backend
      .leaseGrant(this.ttlSeconds + REUSE_MS / 1000)
      .then((l) => {
        this.lease = { id: l.id, grantedAt: now }
        return l.id
      })
      .finally(() => (this.pending = undefined))
    return this.pending
  }
}
