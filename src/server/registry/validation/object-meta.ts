// metadata checks every kind gets (apimachinery ValidateObjectMeta): name/generateName syntax per kind,
// namespace presence by scope, label and annotation syntax.
import type { FieldError, KubeObject } from '../types.ts'
import { forbidden, invalid, required, tooLong } from './field-errors.ts'
import { dns1035Label, dns1123Label, dns1123Subdomain, labelValue, pathSegmentName, qualifiedName } from './names.ts'

export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path' | 'none'

const RULES: Record<NameRule, (v: string) => string[]> = {
  subdomain: dns1123Subdomain,
  label: dns1123Label,
  dns1035: dns1035Label,
  path: pathSegmentName,
  none: () => [],
}

const TOTAL_ANNOTATION_SIZE = 256 * 1024

export function validateObjectMeta(
  obj: KubeObject,
  opts: { namespaced: boolean; nameRule: NameRule; old?: KubeObject },
): FieldError[] {
  const m = obj.metadata ?? {}
  const errs: FieldError[] = []
  const check = RULES[opts.nameRule]
  if (m.name) {
    for (const e of check(m.name)) errs.push(invalid('metadata.name', m.name, e))
  } else if (m.generateName) {
    // generateName may end in '-' (a suffix follows), so validate it with the dash masked as upstream does.
    const masked = m.generateName.endsWith('-') ? m.generateName.slice(0, -1) : m.generateName
    for (const e of check(masked)) errs.push(invalid('metadata.generateName', m.generateName, e))
  } else errs.push(required('metadata.name', 'name or generateName is required'))

  if (opts.namespaced) {
    if (!m.namespace) errs.push(required('metadata.namespace'))
    else for (const e of dns1123Label(m.namespace)) errs.push(invalid('metadata.namespace', m.namespace, e))
  } else if (m.namespace) errs.push(forbidden('metadata.namespace', 'not allowed on this type'))

  errs.push(...validateLabels(m.labels, 'metadata.labels'))
  let size = 0
  for (const [k, v] of Object.entries(m.annotations ?? {})) {
    for (const e of qualifiedName(k.toLowerCase())) errs.push(invalid('metadata.annotations', k, e))
    size += k.length + String(v).length
  }
  if (size > TOTAL_ANNOTATION_SIZE) errs.push(tooLong('metadata.annotations', TOTAL_ANNOTATION_SIZE))
  if (typeof m.generation === 'number' && m.generation < 0)
    errs.push(invalid('metadata.generation', m.generation, 'must be greater than or equal to 0'))
  return errs
}

export function validateLabels(labels: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = []
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const e of qualifiedName(k)) errs.push(invalid(field, k, e))
    for (const e of labelValue(String(v))) errs.push(invalid(field, v, e))
  }
  return errs
}
