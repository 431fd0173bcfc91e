// Leader election through a coordination.k8s.io/v1 Lease (client-go's leaderelection with a
// LeaseLock): the holder renews spec.renewTime; another candidate takes over only after the record has
// not changed for leaseDuration (measured on its own clock, as client-go does) or the record's renewTime
// is older than that by the wall clock. Stopping releases the lease so a standby takes over at once.
import { hostname } from 'node:os'
import { logger } from '../../../shared/log.ts'
import type { Client } from '../../client/types.ts'
import type { KubeObject } from '../../registry/types.ts'
import { R } from './resources.ts'

const log = logger('leader-election')

export interface LeaderElectionOptions {
  client: Client
  /** default `kubun-controller-manager` in kube-system */
  name?: string
  namespace?: string
  identity?: string
  leaseDurationMs?: number
  renewDeadlineMs?: number
  retryPeriodMs?: number
  onStartedLeading(): void | Promise<void>
  /** called when leadership is lost (not on stop()) */
  onStoppedLeading(): void
}

export interface LeaderElection {
  isLeader(): boolean
  identity: string
  stop(): Promise<void>
}

const micro = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z')

export function runLeaderElection(o: LeaderElectionOptions): LeaderElection {
  const name = o.name ?? 'kubun-controller-manager'
  const namespace = o.namespace ?? 'kube-system'
  const identity = o.identity ?? `${hostname()}_${crypto.randomUUID()}`
  const leaseMs = o.leaseDurationMs ?? 15_000
  const renewDeadlineMs = o.renewDeadlineMs ?? 10_000
  const retryMs = o.retryPeriodMs ?? 2_000
  const ref = { ...R.leases, namespace }
  let leader = false
  let stopped = false
  let observed = ''
  let observedAt = 0
  let lastRenew = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<void> = Promise.resolve()

  const spec = (now: number, transitions: number, acquire?: string) => ({
    holderIdentity: identity,
    leaseDurationSeconds: Math.ceil(leaseMs / 1000),
    acquireTime: acquire ?? micro(now),
    renewTime: micro(now),
    leaseTransitions: transitions,
  })

  async function tryAcquireOrRenew(): Promise<boolean> {
    const now = Date.now()
    let lease: KubeObject
    try {
      lease = await o.client.get(ref, name)
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err
      await o.client.create(ref, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace },
        spec: spec(now, 0),
      })
      return true
    }
    const s = lease.spec ?? {}
    const record = JSON.stringify([s.holderIdentity, s.renewTime, s.leaseTransitions])
    if (record !== observed) {
      observed = record
      observedAt = now
    }
    const holder = s.holderIdentity ?? ''
    const duration = (s.leaseDurationSeconds ?? leaseMs / 1000) * 1000
    const renewedAt = s.renewTime ? Date.parse(s.renewTime) : 0
    const expired = observedAt + duration <= now || renewedAt + duration <= now
    if (holder && holder !== identity && !expired) return false
    const mine = holder === identity
    lease.spec = spec(now, (s.leaseTransitions ?? 0) + (mine ? 0 : 1), mine ? s.acquireTime : undefined)
    const updated = await o.client.update<KubeObject>(ref, lease)
    const u = updated.spec
    observed = JSON.stringify([u.holderIdentity, u.renewTime, u.leaseTransitions])
    observedAt = now
    return true
  }

  async function tick(): Promise<void> {
    if (stopped) return
    let ok = false
    try {
      ok = await tryAcquireOrRenew()
    } catch (err) {
      if ((err as { code?: number }).code !== 409)
        log.warn('lease update failed', { lease: `${namespace}/${name}`, err })
    }
    if (stopped) return
    const now = Date.now()
    if (ok) {
      lastRenew = now
      if (!leader) {
        leader = true
        log.info('became leader', { lease: `${namespace}/${name}`, identity })
        await o.onStartedLeading()
      }
    } else if (leader && now - lastRenew > renewDeadlineMs) {
      leader = false
      log.error('lost the lease; stopping controllers', { lease: `${namespace}/${name}` })
      o.onStoppedLeading()
    }
    if (!stopped) timer = setTimeout(() => (running = tick()), retryMs)
  }

  running = tick()
  return {
    identity,
    isLeader: () => leader,
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
      if (!leader) return
      leader = false
      try {
        const lease = await o.client.get<KubeObject>(ref, name)
        if (lease.spec?.holderIdentity !== identity) return
        // ReleaseOnCancel: an empty holder lets a standby take over without waiting out the lease
        lease.spec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: micro(Date.now()) }
        await o.client.update(ref, lease)
      } catch (err) {
        log.debug('releasing the lease failed', { err })
      }
    },
  }
}
