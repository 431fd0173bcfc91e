// Keeps the proxy ruleset applied: regenerate on change (debounced) and every resync period (30 s, applying
// only a delta, usually nothing), and rewrite the whole table every full-resync period (5 min) so a table
// someone flushed or edited is repaired, as kube-proxy's periodic full syncs.
import type { Service } from 'kubernetes-types/core/v1'
import type { EndpointSlice } from 'kubernetes-types/discovery/v1'
import { logger } from '../../shared/log.ts'
import type { RulesetApplier } from './apply.ts'
import { type ProxyNode, type RulesetOptions, ruleset } from './ruleset.ts'

const log = logger('proxy')

/** What the agent backs with Service and EndpointSlice informers; tests use an in-memory fake. */
export interface ServiceSource {
  list(): { services: Service[]; endpointSlices: EndpointSlice[] }
  /** cb is called after any add/update/delete; returns an unsubscribe function */
  onChange(cb: () => void): () => void
}

export interface ProxySyncOptions {
  source: ServiceSource
  node: ProxyNode
  rules: RulesetOptions
  applier: Pick<RulesetApplier, 'apply'>
  debounceMs?: number
  resyncMs?: number
  fullResyncMs?: number
}

export class ProxySync {
  private timer?: ReturnType<typeof setTimeout>
  private resync?: ReturnType<typeof setInterval>
  private fullResync?: ReturnType<typeof setInterval>
  private unsubscribe?: () => void
  private running?: Promise<void>
  private pending?: { force: boolean }
  /** the last sync error, cleared by a successful sync (for node conditions / health) */
  lastError?: Error

  constructor(readonly o: ProxySyncOptions) {}

  /** Applies once (throws if that fails, so start-up reports it), then follows changes. */
  async start(): Promise<void> {
    await this.sync(true)
    this.unsubscribe = this.o.source.onChange(() => this.schedule())
    this.resync = setInterval(() => void this.syncNow(false), this.o.resyncMs ?? 30_000)
    this.fullResync = setInterval(() => void this.syncNow(true), this.o.fullResyncMs ?? 300_000)
  }

  stop(): void {
    this.unsubscribe?.()
    clearTimeout(this.timer)
    clearInterval(this.resync)
    clearInterval(this.fullResync)
  }

  /** Debounced: a burst of changes becomes one apply. */
  private schedule() {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.syncNow(false), this.o.debounceMs ?? 100)
  }

  /** Runs a sync now; concurrent calls coalesce into one more run after the current one. Never throws. */
  async syncNow(force = false): Promise<void> {
    if (this.running) {
      this.pending = { force: force || !!this.pending?.force }
      return this.running
    }
    this.running = this.sync(force).catch((e) => {
      this.lastError = e as Error
      log.error('service proxy sync failed; retrying at the next change or resync', { error: e })
    })
    await this.running
    this.running = undefined
    if (this.pending) {
      const p = this.pending
      this.pending = undefined
      await this.syncNow(p.force)
    }
  }

  private async sync(force: boolean) {
    const t0 = performance.now()
    const { services, endpointSlices } = this.o.source.list()
    const text = ruleset(services, endpointSlices, this.o.node, this.o.rules)
    const genMs = performance.now() - t0
    const r = await this.o.applier.apply(text, { force })
    this.lastError = undefined
    if (r.applied)
      log.debug('proxy synced', { services: services.length, generateMs: round(genMs), applyMs: round(r.ms) })
  }
}

const round = (n: number) => Math.round(n * 10) / 10
