// metav1.LabelSelector matching and validation, with Go-style renderings used in upstream messages.
import type { FieldError } from '../types.ts'
import { invalid, notSupported, required } from './field-errors.ts'
import { qualifiedName } from './names.ts'
import { validateLabels } from './object-meta.ts'

type Selector = {
  matchLabels?: Record<string, string>
  matchExpressions?: { key: string; operator: string; values?: string[] }[]
}

export function selectorMatches(sel: Selector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!sel) return false
  const l = labels ?? {}
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in l
    const vals = e.values ?? []
    const ok =
      e.operator === 'In'
        ? has && vals.includes(l[e.key])
        : e.operator === 'NotIn'
          ? !has || !vals.includes(l[e.key])
          : e.operator === 'Exists'
            ? has
            : e.operator === 'DoesNotExist'
              ? !has
              : false
    if (!ok) return false
  }
  return true
}

export const isEmptySelector = (sel: Selector | undefined) =>
  !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)

/** Go's %#v of map[string]string, keys sorted. */
export const goMap = (m: Record<string, string> | undefined) =>
  m
    ? `map[string]string{${Object.keys(m)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`)
        .join(', ')}}`
    : 'map[string]string(nil)'

export const goSelector = (s: Selector | undefined) =>
  `v1.LabelSelector{MatchLabels:${goMap(s?.matchLabels)}, MatchExpressions:${s?.matchExpressions?.length ? `[]v1.LabelSelectorRequirement{...}` : '[]v1.LabelSelectorRequirement(nil)'}}`

const OPS = ['In', 'NotIn', 'Exists', 'DoesNotExist']

export function validateSelector(sel: Selector | undefined, path: string): FieldError[] {
  if (!sel) return []
  const errs = validateLabels(sel.matchLabels, `${path}.matchLabels`)
  ;(sel.matchExpressions ?? []).forEach((e, i) => {
    const p = `${path}.matchExpressions[${i}]`
    if (!OPS.includes(e.operator)) errs.push(notSupported(`${p}.operator`, e.operator, OPS))
    if ((e.operator === 'In' || e.operator === 'NotIn') && !e.values?.length)
      errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"))
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && e.values?.length)
      errs.push({
        type: 'FieldValueForbidden',
        field: `${p}.values`,
        message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      })
    for (const m of qualifiedName(e.key ?? '')) errs.push(invalid(`${p}.key`, e.key, m))
  })
  return errs
}
