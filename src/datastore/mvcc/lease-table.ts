// Leases held in memory; only grants and revokes are persisted. As in etcd, keep-alives are not
// written anywhere, and after a restart every lease gets its full TTL again (lessor.Promote).

export interface Lease {
  id: number
  ttl: number
  /** ms since epoch */
  expiresAt: number
}

export class LeaseTable {
  private leases = new Map<number, Lease>()

  constructor(private now: () => number = Date.now) {}

  has(id: number): boolean {
    return this.leases.has(id)
  }

  get(id: number): Lease | undefined {
    return this.leases.get(id)
  }

  grant(id: number, ttl: number): Lease {
    const l = { id, ttl, expiresAt: this.now() + ttl * 1000 }
    this.leases.set(id, l)
    return l
  }

  refresh(id: number): Lease | undefined {
    const l = this.leases.get(id)
    if (l) l.expiresAt = this.now() + l.ttl * 1000
    return l
  }

  delete(id: number): void {
    this.leases.delete(id)
  }

  /** Whole seconds left, rounded up as etcd's Remaining(); -1 once past. */
  remaining(l: Lease): number {
    const ms = l.expiresAt - this.now()
    return ms > 0 ? Math.ceil(ms / 1000) : -1
  }

  expired(): number[] {
    const t = this.now()
    return [...this.leases.values()].filter((l) => l.expiresAt <= t).map((l) => l.id)
  }

  ids(): number[] {
    return [...this.leases.keys()]
  }

  /** A fresh id: positive, below 2^53 so it survives JSON and JS numbers. */
  newId(): number {
    for (;;) {
      const id = Math.floor(Math.random() * 2 ** 52) + 1
      if (!this.leases.has(id)) return id
    }
  }
}
