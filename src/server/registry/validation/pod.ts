// PodSpec validation for what users hit daily (pkg/apis/core/validation ValidatePodSpec, subset).
import { parseQuantity } from '../../scheduler/quantity.ts'
import type { FieldError, KubeObject } from '../types.ts'
import { duplicate, forbidden, invalid, notSupported, required } from './field-errors.ts'
import { dns1123Label, dns1123Subdomain } from './names.ts'
import { validateLabels } from './object-meta.ts'
import { validatePodSpecUpdate } from './pod-update.ts'

type Obj = Record<string, any>
const RESTART = ['Always', 'OnFailure', 'Never']
const DNS = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']
const PROTOCOLS = ['SCTP', 'TCP', 'UDP']
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/

export function portInRange(field: string, port: unknown): FieldError[] {
  return typeof port === 'number' && (port < 1 || port > 65535)
    ? [invalid(field, port, 'must be between 1 and 65535, inclusive')]
    : []
}

/** IANA service names (named ports): at most 15 chars, lowercase alphanumerics and '-', a letter, no '--'. */
export function ianaSvcName(field: string, name: string): FieldError[] {
  const errs: FieldError[] = []
  if (name.length > 15) errs.push(invalid(field, name, 'must be no more than 15 characters'))
  if (!IANA_SVC_NAME.test(name))
    errs.push(invalid(field, name, 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'))
  if (name.includes('--')) errs.push(invalid(field, name, 'must not contain consecutive hyphens'))
  if (!/[a-z]/.test(name)) errs.push(invalid(field, name, 'must contain at least one letter (a-z)'))
  return errs
}

function validateContainers(list: Obj[] | undefined, path: string, volumes: Set<string>, names: Set<string>) {
  const errs: FieldError[] = []
  ;(list ?? []).forEach((c, i) => {
    const p = `${path}[${i}]`
    if (!c.name) errs.push(required(`${p}.name`))
    else {
      for (const e of dns1123Label(c.name)) errs.push(invalid(`${p}.name`, c.name, e))
      if (names.has(c.name)) errs.push(duplicate(`${p}.name`, c.name))
      names.add(c.name)
    }
    if (!c.image || (typeof c.image === 'string' && c.image.trim() === '')) errs.push(required(`${p}.image`))
    const portNames = new Set<string>()
    ;(c.ports ?? []).forEach((port: Obj, j: number) => {
      const pp = `${p}.ports[${j}]`
      if (port.containerPort === undefined) errs.push(required(`${pp}.containerPort`))
      else errs.push(...portInRange(`${pp}.containerPort`, port.containerPort))
      if (port.hostPort) errs.push(...portInRange(`${pp}.hostPort`, port.hostPort))
      if (port.protocol && !PROTOCOLS.includes(port.protocol))
        errs.push(notSupported(`${pp}.protocol`, port.protocol, PROTOCOLS))
      if (port.name) {
        errs.push(...ianaSvcName(`${pp}.name`, port.name))
        if (portNames.has(port.name)) errs.push(duplicate(`${pp}.name`, port.name))
        portNames.add(port.name)
      }
    })
    ;(c.volumeMounts ?? []).forEach((m: Obj, j: number) => {
      const mp = `${p}.volumeMounts[${j}]`
      if (!m.name) errs.push(required(`${mp}.name`))
      else if (!volumes.has(m.name))
        errs.push({ type: 'FieldValueNotFound', field: `${mp}.name`, message: `Not found: ${JSON.stringify(m.name)}` })
      if (!m.mountPath) errs.push(required(`${mp}.mountPath`))
    })
    errs.push(...requestsWithinLimits(c.resources, `${p}.resources`))
    ;(c.env ?? []).forEach((e: Obj, j: number) => {
      if (!e.name) errs.push(required(`${p}.env[${j}].name`))
    })
  })
  return errs
}

/** `claimVolumes`: names mounts may refer to besides spec.volumes (a StatefulSet's volumeClaimTemplates). */
// Resources whose request must equal the limit (upstream: everything but the overcommittable standard
// resources; hugepages and extended resources such as GPUs).
const overcommittable = (name: string) =>
  ['cpu', 'memory', 'ephemeral-storage'].includes(name) || (!name.includes('/') && !name.startsWith('hugepages-'))

/** ValidateResourceRequirements: a request may not exceed its limit (nor differ from it, for GPUs). */
function requestsWithinLimits(resources: Obj | undefined, path: string): FieldError[] {
  const errs: FieldError[] = []
  const limits: Obj = resources?.limits ?? {}
  for (const [name, request] of Object.entries<string | number>(resources?.requests ?? {})) {
    const limit = limits[name]
    if (limit === undefined) continue
    const [r, l] = [parseQuantity(request), parseQuantity(limit)]
    if (Number.isNaN(r) || Number.isNaN(l)) continue
    const field = `${path}.requests[${name}]`
    if (!overcommittable(name) && r !== l)
      errs.push(invalid(field, String(request), `must be equal to ${name} limit of ${limit}`))
    else if (r > l)
      errs.push(invalid(field, String(request), `must be less than or equal to ${name} limit of ${limit}`))
  }
  return errs
}

export function validatePodSpec(spec: Obj | undefined, path: string, claimVolumes: string[] = []): FieldError[] {
  if (!spec) return [required(path)]
  const errs: FieldError[] = []
  const volumes = new Set<string>()
  ;(spec.volumes ?? []).forEach((v: Obj, i: number) => {
    const p = `${path}.volumes[${i}]`
    if (!v.name) errs.push(required(`${p}.name`))
    else {
      for (const e of dns1123Label(v.name)) errs.push(invalid(`${p}.name`, v.name, e))
      if (volumes.has(v.name)) errs.push(duplicate(`${p}.name`, v.name))
      volumes.add(v.name)
    }
  })
  for (const v of claimVolumes) volumes.add(v)
  if (!spec.containers?.length) errs.push(required(`${path}.containers`))
  const names = new Set<string>()
  errs.push(...validateContainers(spec.initContainers, `${path}.initContainers`, volumes, names))
  errs.push(...validateContainers(spec.containers, `${path}.containers`, volumes, names))
  if (spec.restartPolicy && !RESTART.includes(spec.restartPolicy))
    errs.push(notSupported(`${path}.restartPolicy`, spec.restartPolicy, RESTART))
  if (spec.dnsPolicy && !DNS.includes(spec.dnsPolicy)) errs.push(notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, DNS))
  if (spec.dnsPolicy === 'None' && !spec.dnsConfig)
    errs.push(required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'))
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0)
    errs.push(
      invalid(
        `${path}.terminationGracePeriodSeconds`,
        spec.terminationGracePeriodSeconds,
        'must be greater than or equal to 0',
      ),
    )
  if (typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds <= 0)
    errs.push(
      invalid(
        `${path}.activeDeadlineSeconds`,
        spec.activeDeadlineSeconds,
        'must be between 1 and 2147483647, inclusive',
      ),
    )
  if (spec.serviceAccountName)
    for (const e of dns1123Subdomain(spec.serviceAccountName))
      errs.push(invalid(`${path}.serviceAccountName`, spec.serviceAccountName, e))
  if (spec.nodeName)
    for (const e of dns1123Subdomain(spec.nodeName)) errs.push(invalid(`${path}.nodeName`, spec.nodeName, e))
  if (spec.hostname)
    for (const e of dns1123Label(spec.hostname)) errs.push(invalid(`${path}.hostname`, spec.hostname, e))
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`))
  return errs
}

const stable = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x)
            .filter(([, y]) => y !== undefined)
            .sort(([a], [b]) => a.localeCompare(b)),
        )
      : x,
  )

export function validatePod(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validatePodSpec(obj.spec, 'spec')
  if (old) errs.push(...validatePodSpecUpdate(obj.spec, old.spec))
  return errs
}

export function validatePodTemplate(obj: KubeObject): FieldError[] {
  return [
    ...validateLabels(obj.template?.metadata?.labels, 'template.metadata.labels'),
    ...validatePodSpec(obj.template?.spec, 'template.spec'),
  ]
}

const EPHEMERAL_FORBIDDEN = ['ports', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'resources']

/** pods/ephemeralcontainers (upstream ValidatePodEphemeralContainersUpdate, subset): existing ephemeral
 * containers may be neither changed nor removed; new ones need a name unique in the pod and an image, and
 * may not declare ports, probes, lifecycle or resources. */
export function validateEphemeralContainersUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = []
  const path = 'spec.ephemeralContainers'
  const next: Obj[] = obj.spec?.ephemeralContainers ?? []
  const prev: Obj[] = old.spec?.ephemeralContainers ?? []
  const byName = new Map(next.map((c, i) => [c.name, { c, i }]))
  for (const p of prev) {
    const n = byName.get(p.name)
    if (!n) errs.push(forbidden(path, `existing ephemeral containers ${JSON.stringify(p.name)} may not be removed`))
    else if (stable(n.c) !== stable(p))
      errs.push(
        forbidden(`${path}[${n.i}]`, `existing ephemeral containers ${JSON.stringify(p.name)} may not be changed`),
      )
  }
  const names = new Set<string>(
    [...(obj.spec?.containers ?? []), ...(obj.spec?.initContainers ?? [])].map((c: Obj) => c.name),
  )
  next.forEach((c, i) => {
    const p = `${path}[${i}]`
    if (!c.name) errs.push(required(`${p}.name`))
    else {
      for (const e of dns1123Label(c.name)) errs.push(invalid(`${p}.name`, c.name, e))
      if (names.has(c.name)) errs.push(duplicate(`${p}.name`, c.name))
      names.add(c.name)
    }
    if (!c.image || (typeof c.image === 'string' && c.image.trim() === '')) errs.push(required(`${p}.image`))
    for (const f of EPHEMERAL_FORBIDDEN)
      if (c[f] !== undefined && !(f === 'resources' && Object.keys(c[f] ?? {}).length === 0))
        errs.push(forbidden(`${p}.${f}`, 'cannot be set for an Ephemeral Container'))
  })
  return errs
}
