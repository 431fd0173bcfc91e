// What an update may change in a pod's spec (upstream pkg/apis/core/validation ValidatePodUpdate): the
// images of containers and init containers, activeDeadlineSeconds (set, or lowered), tolerations (only
// additions; an existing one may change its tolerationSeconds), terminationGracePeriodSeconds (only from
// negative to 1) and schedulingGates (only removals). spec.nodeName is set by pods/binding alone, never
// by an update. Status writes keep the stored spec, so they never reach this rule.
import type { FieldError } from '../types.ts'
import { forbidden, invalid } from './field-errors.ts'

type Obj = Record<string, any>

export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'

/** Canonical JSON: key order and undefined members do not count as changes. */
export const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x)
            .filter(([, y]) => y !== undefined)
            .sort(([a], [b]) => a.localeCompare(b)),
        )
      : x,
  )

export function validatePodSpecUpdate(spec: Obj | undefined, old: Obj | undefined): FieldError[] {
  const next: Obj = spec ?? {}
  const prev: Obj = old ?? {}
  const errs: FieldError[] = []

  const ads = next.activeDeadlineSeconds
  const oldAds = prev.activeDeadlineSeconds
  if (ads != null) {
    if (oldAds != null && oldAds < ads)
      errs.push(invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value'))
  } else if (oldAds != null)
    errs.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'))

  const tolerations: Obj[] = next.tolerations ?? []
  for (const t of prev.tolerations ?? []) {
    const kept = tolerations.some((n) => canonical({ ...t, tolerationSeconds: n.tolerationSeconds }) === canonical(n))
    if (!kept) {
      errs.push(forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'))
      break
    }
  }

  const oldGates = new Set((prev.schedulingGates ?? []).map((g: Obj) => g.name))
  for (const g of next.schedulingGates ?? [])
    if (!oldGates.has(g.name))
      errs.push(
        forbidden('spec.schedulingGates', `only deletion is allowed, but found new scheduling gate '${g.name}'`),
      )

  // the munged copy: every field allowed to change takes its old value, then the rest must be equal
  const m = structuredClone(next)
  const keepImages = (cs: Obj[] | undefined, oldCs: Obj[] | undefined) =>
    cs?.forEach((c, i) => {
      if (oldCs?.[i] && c.image) c.image = oldCs[i].image
    })
  keepImages(m.containers, prev.containers)
  keepImages(m.initContainers, prev.initContainers)
  m.activeDeadlineSeconds = prev.activeDeadlineSeconds
  m.tolerations = prev.tolerations
  m.schedulingGates = prev.schedulingGates
  m.ephemeralContainers = prev.ephemeralContainers // pods/ephemeralcontainers has its own rule
  if (prev.terminationGracePeriodSeconds < 0 && next.terminationGracePeriodSeconds === 1)
    m.terminationGracePeriodSeconds = prev.terminationGracePeriodSeconds
  if (canonical(m) !== canonical(prev)) errs.push(forbidden('spec', POD_UPDATE_FORBIDDEN))
  return errs
}
