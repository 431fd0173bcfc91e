// Semantic checks for the less frequent kinds (pkg/apis/*/validation), the ones users trip over.
import type { FieldError, KubeObject } from '../types.ts'
import { forbidden, invalid, notSupported, required } from './field-errors.ts'

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix']

export function validateIngress(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = []
  const spec = obj.spec ?? {}
  if (!spec.defaultBackend && !spec.rules?.length)
    errs.push(invalid('spec.rules', [], 'either `defaultBackend` or `rules` must be specified'))
  ;(spec.rules ?? []).forEach((r: any, i: number) => {
    if (r.host && (r.host.includes(':') || /^\d+\.\d+\.\d+\.\d+$/.test(r.host)))
      errs.push(invalid(`spec.rules[${i}].host`, r.host, 'must be a DNS name, not an IP address'))
    ;(r.http?.paths ?? []).forEach((p: any, j: number) => {
      const path = `spec.rules[${i}].http.paths[${j}]`
      if (!p.pathType) errs.push(required(`${path}.pathType`, 'pathType must be specified'))
      else if (!PATH_TYPES.includes(p.pathType)) errs.push(notSupported(`${path}.pathType`, p.pathType, PATH_TYPES))
      if (p.pathType !== 'ImplementationSpecific' && p.path !== undefined && !String(p.path).startsWith('/'))
        errs.push(invalid(`${path}.path`, p.path, 'must be an absolute path'))
      if (!p.backend) errs.push(required(`${path}.backend`))
      else if (!!p.backend.service === !!p.backend.resource)
        errs.push(invalid(`${path}.backend`, '', 'cannot set both resource and service backends'))
    })
  })
  return errs
}

export function validatePvc(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = obj.spec ?? {}
  const errs: FieldError[] = []
  if (!spec.accessModes?.length) errs.push(required('spec.accessModes', 'at least 1 access mode is required'))
  if (!spec.dataSource && !spec.dataSourceRef && spec.resources?.requests?.storage === undefined)
    errs.push(required('spec.resources[storage]'))
  if (old?.spec?.volumeName && spec.volumeName !== old.spec.volumeName)
    errs.push(
      forbidden(
        'spec',
        'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
      ),
    )
  return errs
}

export function validatePv(obj: KubeObject): FieldError[] {
  const spec = obj.spec ?? {}
  const errs: FieldError[] = []
  if (!spec.accessModes?.length) errs.push(required('spec.accessModes'))
  if (spec.capacity?.storage === undefined) errs.push(required('spec.capacity'))
  const sources = Object.keys(spec).filter((k) =>
    ['hostPath', 'local', 'nfs', 'csi', 'iscsi', 'fc', 'rbd', 'cephfs', 'glusterfs', 'flexVolume'].includes(k),
  )
  if (sources.length === 0) errs.push(required('spec', 'must specify a volume type'))
  else if (sources.length > 1) errs.push(forbidden(`spec.${sources[1]}`, 'may not specify more than 1 volume type'))
  return errs
}

export function validateRoleBinding(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = []
  const ref = obj.roleRef
  if (!ref?.name) errs.push(required('roleRef.name'))
  if (ref?.kind && !['Role', 'ClusterRole'].includes(ref.kind))
    errs.push(notSupported('roleRef.kind', ref.kind, ['ClusterRole', 'Role']))
  if (obj.kind === 'ClusterRoleBinding' && ref?.kind === 'Role')
    errs.push(notSupported('roleRef.kind', ref.kind, ['ClusterRole']))
  ;(obj.subjects ?? []).forEach((s: any, i: number) => {
    if (!s.name) errs.push(required(`subjects[${i}].name`))
    if (s.kind === 'ServiceAccount' && !s.namespace && obj.kind === 'ClusterRoleBinding')
      errs.push(required(`subjects[${i}].namespace`))
  })
  if (old && JSON.stringify(old.roleRef) !== JSON.stringify(obj.roleRef))
    errs.push(
      invalid(
        'roleRef',
        `rbac.RoleRef{APIGroup:"${ref?.apiGroup ?? ''}", Kind:"${ref?.kind ?? ''}", Name:"${ref?.name ?? ''}"}`,
        'cannot change roleRef',
      ),
    )
  return errs
}

export function validatePriorityClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  if (old && old.value !== obj.value) return [forbidden('value', 'may not be changed in an update.')]
  return typeof obj.value === 'number' && obj.value > 1_000_000_000 && !obj.metadata?.name?.startsWith('system-')
    ? [invalid('value', obj.value, 'must be less than or equal to 1000000000')]
    : []
}

export function validateStorageClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = []
  if (!obj.provisioner) errs.push(required('provisioner'))
  if (old && old.provisioner !== obj.provisioner)
    errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'))
  if (old && JSON.stringify(old.parameters ?? {}) !== JSON.stringify(obj.parameters ?? {}))
    errs.push(forbidden('parameters', 'updates to parameters are forbidden.'))
  return errs
}

export function validatePdb(obj: KubeObject): FieldError[] {
  const spec = obj.spec ?? {}
  return spec.minAvailable != null && spec.maxUnavailable != null
    ? [invalid('spec', '', 'minAvailable and maxUnavailable cannot be both set')]
    : []
}

export function validateHpa(obj: KubeObject): FieldError[] {
  const spec = obj.spec ?? {}
  const errs: FieldError[] = []
  if (!spec.scaleTargetRef?.kind) errs.push(required('spec.scaleTargetRef.kind'))
  if (!spec.scaleTargetRef?.name) errs.push(required('spec.scaleTargetRef.name'))
  if (typeof spec.minReplicas === 'number' && spec.minReplicas < 1)
    errs.push(invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'))
  if (typeof spec.maxReplicas === 'number' && spec.maxReplicas < (spec.minReplicas ?? 1))
    errs.push(invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`'))
  return errs
}

export function validateLease(obj: KubeObject): FieldError[] {
  const spec = obj.spec ?? {}
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0)
    return [invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0')]
  return []
}
