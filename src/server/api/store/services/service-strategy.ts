// Services: ClusterIP and NodePort allocation committed in the same transaction as the Service, so an
// allocation exists exactly as long as the Service that holds it (upstream's service REST + allocators).

import type { Backend, Compare, TxnOp } from '../../../../datastore/backend.ts'
import { internal, invalid } from '../../../../shared/errors.ts'
import type { FieldError, KubeObject } from '../../../registry/types.ts'
import {
  claim,
  contains,
  describeRange,
  IP_PREFIX,
  inRange,
  ipAddressObject,
  ipKey,
  NODE_PORT_PREFIX,
  nodePortKey,
  parsePortRange,
  parseServiceCidr,
  pickFreeIp,
  pickFreePort,
  release,
  takenKeys,
} from '../../allocators/index.ts'
import type { KindStrategy, TxnExtras } from '../kind-strategy.ts'
import { RetryableConflict } from '../store-core.ts'
import { dropTypeDependentFields } from './type-dependent-fields.ts'

export interface ServiceAllocatorConfig {
  serviceCidr: string
  nodePortRange: string
}

const needsClusterIp = (svc: KubeObject | undefined) =>
  !!svc && svc.spec?.type !== 'ExternalName' && svc.spec?.clusterIP !== 'None'
const needsNodePorts = (svc: KubeObject | undefined) =>
  !!svc &&
  (svc.spec?.type === 'NodePort' ||
    (svc.spec?.type === 'LoadBalancer' && svc.spec?.allocateLoadBalancerNodePorts !== false))

const clusterIpOf = (svc: KubeObject | undefined): string | undefined =>
  svc?.spec?.clusterIP || svc?.spec?.clusterIPs?.[0] || undefined

const needsHealthCheckPort = (svc: KubeObject | undefined) =>
  !!svc && svc.spec?.type === 'LoadBalancer' && svc.spec?.externalTrafficPolicy === 'Local'

interface PortSlot {
  field: string
  get(): number | undefined
  set(port: number): void
}

/** Every node port a Service needs, in field order: spec.ports[i].nodePort, then spec.healthCheckNodePort. */
function portSlots(svc: KubeObject | undefined): PortSlot[] {
  const slots: PortSlot[] = []
  if (needsNodePorts(svc))
    (svc!.spec.ports ?? []).forEach((p: { nodePort?: number }, i: number) => {
      slots.push({
        field: `spec.ports[${i}].nodePort`,
        get: () => p.nodePort || undefined,
        set: (n) => (p.nodePort = n),
      })
    })
  if (needsHealthCheckPort(svc))
    slots.push({
      field: 'spec.healthCheckNodePort',
      get: () => svc!.spec.healthCheckNodePort || undefined,
      set: (n) => (svc!.spec.healthCheckNodePort = n),
    })
  return slots
}

const portsHeldBy = (svc: KubeObject | undefined): Set<number> =>
  new Set(
    portSlots(svc)
      .map((s) => s.get())
      .filter((p): p is number => !!p),
  )

export function serviceStrategy(backend: Backend, cfg: ServiceAllocatorConfig): KindStrategy {
  const ipRange = parseServiceCidr(cfg.serviceCidr)
  const portRange = parsePortRange(cfg.nodePortRange)

  return {
    prepareCreate(obj) {
      delete obj.status
      obj.status = { loadBalancer: {} }
    },
    prepareUpdate(obj, old) {
      dropTypeDependentFields(obj, old)
      // kubectl apply/replace often omit the allocated values: keep them rather than reallocate
      if (needsClusterIp(obj) && !clusterIpOf(obj) && clusterIpOf(old)) {
        obj.spec.clusterIP = old.spec.clusterIP
        obj.spec.clusterIPs = old.spec.clusterIPs
      }
      if (needsNodePorts(obj)) {
        const oldPorts: { port: number; protocol?: string; nodePort?: number }[] = old.spec?.ports ?? []
        for (const p of obj.spec?.ports ?? []) {
          if (p.nodePort) continue
          const same = oldPorts.find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'))
          if (same?.nodePort) p.nodePort = same.nodePort
        }
      } else for (const p of obj.spec?.ports ?? []) delete p.nodePort
      if (needsHealthCheckPort(obj)) obj.spec.healthCheckNodePort ||= old.spec?.healthCheckNodePort
      if (!obj.spec?.healthCheckNodePort || !needsHealthCheckPort(obj)) delete obj.spec?.healthCheckNodePort
      if (!needsClusterIp(obj) && obj.spec?.type === 'ExternalName') {
        delete obj.spec.clusterIP
        delete obj.spec.clusterIPs
      }
    },
    async extras(op, obj, old) {
      const compare: Compare[] = []
      const success: TxnOp[] = []
      const checkKeys: string[] = []
      const errors: { key: string; error: FieldError; random: boolean }[] = []
      const owner = { namespace: (obj ?? old)!.metadata!.namespace!, name: (obj ?? old)!.metadata!.name! }
      const name = owner.name

      // ClusterIP
      const oldIp = needsClusterIp(old) ? clusterIpOf(old) : undefined
      const wantIp = needsClusterIp(obj)
      if (op !== 'delete' && wantIp) {
        const requested = clusterIpOf(obj)
        if (requested !== oldIp || !oldIp) {
          let ip = requested
          let random = false
          if (ip) {
            if (!contains(ipRange, ip))
              throw invalid('Service', '', name, [
                ipError(
                  ip,
                  `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${ipRange.cidr}`,
                ),
              ])
          } else {
            const taken = new Set(await takenKeys(backend, IP_PREFIX))
            ip = pickFreeIp(ipRange, taken)
            if (!ip) throw internal('failed to allocate a serviceIP: range is full')
            random = true
          }
          const c = claim(ipKey(ip), ipAddressObject(ip, owner))
          compare.push(c.compare)
          success.push(c.op)
          checkKeys.push(ipKey(ip))
          errors.push({ key: ipKey(ip), error: ipError(ip, 'provided IP is already allocated'), random })
          obj!.spec.clusterIP = ip
          obj!.spec.clusterIPs = [ip]
          obj!.spec.ipFamilies ??= ['IPv4']
          obj!.spec.ipFamilyPolicy ??= 'SingleStack'
          if (oldIp) success.push(release(ipKey(oldIp)))
        }
      } else if (op !== 'delete' && obj?.spec?.clusterIP === 'None') {
        obj.spec.clusterIPs = ['None']
        if (oldIp) success.push(release(ipKey(oldIp)))
      } else if (oldIp) success.push(release(ipKey(oldIp)))

      // NodePorts (and the health check port of LoadBalancers with externalTrafficPolicy Local)
      const oldPorts = portsHeldBy(old)
      const keep = new Set<number>()
      if (op !== 'delete') {
        let taken: Set<number> | undefined
        for (const slot of portSlots(obj)) {
          const want = slot.get()
          if (want && (oldPorts.has(want) || keep.has(want))) {
            keep.add(want)
            continue
          }
          let port = want
          let random = false
          if (port) {
            if (!inRange(portRange, port))
              throw invalid('Service', '', name, [
                portError(
                  slot.field,
                  port,
                  `provided port is not in the valid range. The range of valid ports is ${describeRange(portRange)}`,
                ),
              ])
          } else {
            taken ??= new Set((await takenKeys(backend, NODE_PORT_PREFIX)).map(Number))
            port = pickFreePort(portRange, new Set([...taken, ...keep]))
            if (!port) throw internal('failed to allocate a nodePort: range is full')
            slot.set(port)
            random = true
          }
          keep.add(port)
          const c = claim(nodePortKey(port), { namespace: owner.namespace, name })
          compare.push(c.compare)
          success.push(c.op)
          checkKeys.push(nodePortKey(port))
          errors.push({
            key: nodePortKey(port),
            error: portError(slot.field, port, 'provided port is already allocated'),
            random,
          })
        }
      }
      for (const p of oldPorts) if (!keep.has(p)) success.push(release(nodePortKey(p)))

      const extras: TxnExtras = {
        compare,
        success,
        checkKeys,
        explain(present) {
          const hit = errors.filter((e) => present.get(e.key))
          // a random pick lost a race with another allocation: pick again
          if (hit.length > 0 && hit.every((e) => e.random)) return new RetryableConflict(hit[0])
          return invalid(
            'Service',
            '',
            name,
            hit.filter((e) => !e.random).map((e) => e.error),
          )
        },
      }
      return extras
    },
  }
}

const ipError = (ip: string, why: string): FieldError => ({
  type: 'FieldValueInvalid',
  field: 'spec.clusterIPs',
  message: `Invalid value: ["${ip}"]: failed to allocate IP ${ip}: ${why}`,
})

const portError = (field: string, port: number, why: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${port}: ${why}`,
})
