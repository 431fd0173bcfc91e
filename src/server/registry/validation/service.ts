// Service validation (pkg/apis/core/validation ValidateService, subset users hit).
import type { FieldError, KubeObject } from '../types.ts'
import { duplicate, forbidden, immutable, invalid, notSupported, required } from './field-errors.ts'
import { dns1123Label, dns1123Subdomain } from './names.ts'
import { validateLabels } from './object-meta.ts'
import { ianaSvcName, portInRange } from './pod.ts'

type Obj = Record<string, any>
const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']
const PROTOCOLS = ['SCTP', 'TCP', 'UDP']
const AFFINITY = ['ClientIP', 'None']
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/

export function validateService(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec: Obj = obj.spec ?? {}
  const errs: FieldError[] = []
  const type = spec.type ?? 'ClusterIP'
  if (!TYPES.includes(type)) errs.push(notSupported('spec.type', type, TYPES))
  const headless = spec.clusterIP === 'None'
  const ports: Obj[] = spec.ports ?? []
  if (type === 'ExternalName') {
    if (!spec.externalName) errs.push(required('spec.externalName'))
    else
      for (const e of dns1123Subdomain(String(spec.externalName).replace(/\.$/, '')))
        errs.push(invalid('spec.externalName', spec.externalName, e))
  } else if (!ports.length && !headless) errs.push(required('spec.ports'))
  if (spec.clusterIP && !headless && spec.clusterIP !== '' && !IPV4.test(spec.clusterIP))
    errs.push(
      invalid('spec.clusterIPs[0]', spec.clusterIP, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'),
    )
  if (headless && (type === 'NodePort' || type === 'LoadBalancer'))
    errs.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`))
  const names = new Set<string>()
  const keys = new Set<string>()
  ports.forEach((p, i) => {
    const path = `spec.ports[${i}]`
    if (ports.length > 1 && !p.name) errs.push(required(`${path}.name`))
    if (p.name) {
      for (const e of dns1123Label(p.name)) errs.push(invalid(`${path}.name`, p.name, e))
      if (names.has(p.name)) errs.push(duplicate(`${path}.name`, p.name))
      names.add(p.name)
    }
    if (p.port === undefined) errs.push(required(`${path}.port`))
    else errs.push(...portInRange(`${path}.port`, p.port))
    if (p.protocol && !PROTOCOLS.includes(p.protocol))
      errs.push(notSupported(`${path}.protocol`, p.protocol, PROTOCOLS))
    const key = `${p.port}/${p.protocol ?? 'TCP'}`
    if (keys.has(key)) errs.push(duplicate(path, { port: p.port, protocol: p.protocol ?? 'TCP' }))
    keys.add(key)
    if (typeof p.targetPort === 'number') errs.push(...portInRange(`${path}.targetPort`, p.targetPort))
    else if (typeof p.targetPort === 'string') {
      if (/^\d+$/.test(p.targetPort)) errs.push(...portInRange(`${path}.targetPort`, Number(p.targetPort)))
      else errs.push(...ianaSvcName(`${path}.targetPort`, p.targetPort))
    }
    if (p.nodePort) {
      if (type !== 'NodePort' && type !== 'LoadBalancer')
        errs.push(forbidden(`${path}.nodePort`, `may not be used when \`type\` is '${type}'`))
      else errs.push(...portInRange(`${path}.nodePort`, p.nodePort))
    }
  })
  if (spec.sessionAffinity && !AFFINITY.includes(spec.sessionAffinity))
    errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, AFFINITY))
  for (const [field, v] of [
    ['spec.externalTrafficPolicy', spec.externalTrafficPolicy],
    ['spec.internalTrafficPolicy', spec.internalTrafficPolicy],
  ] as const)
    if (v !== undefined && !['Cluster', 'Local'].includes(v)) errs.push(notSupported(field, v, ['Cluster', 'Local']))
  if (spec.externalTrafficPolicy && type !== 'NodePort' && type !== 'LoadBalancer')
    errs.push(
      invalid(
        'spec.externalTrafficPolicy',
        spec.externalTrafficPolicy,
        "may only be set when `type` is 'NodePort' or 'LoadBalancer'",
      ),
    )
  errs.push(...validateLabels(spec.selector, 'spec.selector'))
  // clusterIP may be allocated once and never changed (except when switching to/from ExternalName).
  if (
    old?.spec?.clusterIP &&
    old.spec.type !== 'ExternalName' &&
    type !== 'ExternalName' &&
    spec.clusterIP !== old.spec.clusterIP
  )
    errs.push(immutable('spec.clusterIP', spec.clusterIP ?? ''))
  return errs
}
