// apps/v1 and batch/v1 semantic validation (pkg/apis/apps/validation, pkg/apis/batch/validation, subset).
import type { FieldError, KubeObject } from '../types.ts'
import { validateSchedule } from './cron.ts'
import { forbidden, immutable, invalid, nonNegative, notSupported, required } from './field-errors.ts'
import { validateLabels } from './object-meta.ts'
import { validatePodSpec } from './pod.ts'
import { goMap, goSelector, isEmptySelector, selectorMatches, validateSelector } from './selector.ts'

type Obj = Record<string, any>

/** selector present, non-empty, matching the template labels; template valid with allowed restart policies. */
function selectorAndTemplate(spec: Obj, what: string, restart: string[], claimVolumes: string[] = []): FieldError[] {
  const errs: FieldError[] = []
  if (!spec.selector) errs.push(required('spec.selector'))
  else if (isEmptySelector(spec.selector))
    errs.push(invalid('spec.selector', goSelector(spec.selector), `empty selector is invalid for ${what}`))
  else errs.push(...validateSelector(spec.selector, 'spec.selector'))
  errs.push(...templateChecks(spec.template, 'spec.template', restart, claimVolumes))
  const labels = spec.template?.metadata?.labels
  if (spec.selector && !isEmptySelector(spec.selector) && spec.template && !selectorMatches(spec.selector, labels))
    errs.push(invalid('spec.template.metadata.labels', goMap(labels), '`selector` does not match template `labels`'))
  return errs
}

function templateChecks(
  template: Obj | undefined,
  path: string,
  restart: string[],
  claimVolumes: string[] = [],
): FieldError[] {
  if (!template) return [required(path)]
  const errs = validateLabels(template.metadata?.labels, `${path}.metadata.labels`)
  errs.push(...validatePodSpec(template.spec, `${path}.spec`, claimVolumes))
  const rp = template.spec?.restartPolicy
  if (rp && !restart.includes(rp)) errs.push(notSupported(`${path}.spec.restartPolicy`, rp, restart))
  return errs
}

function immutableSelector(obj: KubeObject, old?: KubeObject): FieldError[] {
  if (!old) return []
  return JSON.stringify(obj.spec?.selector ?? null) === JSON.stringify(old.spec?.selector ?? null)
    ? []
    : [immutable('spec.selector', goSelector(obj.spec?.selector))]
}

/** An int-or-string percentage: returns the number, or NaN for a malformed string. */
const intOrPercent = (v: unknown): { n: number; pct: boolean } | undefined =>
  v === undefined || v === null
    ? undefined
    : typeof v === 'number'
      ? { n: v, pct: false }
      : /^\d+%$/.test(String(v))
        ? { n: Number.parseInt(String(v), 10), pct: true }
        : { n: Number.NaN, pct: true }

function intOrPercentChecks(field: string, v: unknown): FieldError[] {
  const p = intOrPercent(v)
  if (!p) return []
  if (Number.isNaN(p.n))
    return [
      invalid(
        field,
        v,
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ),
    ]
  if (p.n < 0) return [invalid(field, v, 'must be greater than or equal to 0')]
  if (p.pct && p.n > 100) return [invalid(field, v, 'must not be greater than 100%')]
  return []
}

export function validateDeployment(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = obj.spec ?? {}
  const errs = [...nonNegative('spec.replicas', spec.replicas), ...selectorAndTemplate(spec, 'deployment', ['Always'])]
  errs.push(...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit))
  errs.push(...nonNegative('spec.minReadySeconds', spec.minReadySeconds))
  const st = spec.strategy ?? {}
  if (st.type && !['Recreate', 'RollingUpdate'].includes(st.type))
    errs.push(notSupported('spec.strategy.type', st.type, ['Recreate', 'RollingUpdate']))
  if (st.type === 'Recreate' && st.rollingUpdate)
    errs.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"))
  const ru = st.rollingUpdate
  if (ru) {
    errs.push(...intOrPercentChecks('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable))
    errs.push(...intOrPercentChecks('spec.strategy.rollingUpdate.maxSurge', ru.maxSurge))
    if (intOrPercent(ru.maxUnavailable)?.n === 0 && intOrPercent(ru.maxSurge)?.n === 0)
      errs.push(
        invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'),
      )
  }
  if (typeof spec.progressDeadlineSeconds === 'number') {
    errs.push(...nonNegative('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds))
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0))
      errs.push(
        invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'),
      )
  }
  return errs.concat(immutableSelector(obj, old))
}

export function validateReplicaSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = obj.spec ?? {}
  return [
    ...nonNegative('spec.replicas', spec.replicas),
    ...nonNegative('spec.minReadySeconds', spec.minReadySeconds),
    ...selectorAndTemplate(spec, 'replicaset', ['Always']),
    ...immutableSelector(obj, old),
  ]
}

/** ReplicationController: selector is a plain map. */
export function validateReplicationController(obj: KubeObject): FieldError[] {
  const spec = obj.spec ?? {}
  const errs = [...nonNegative('spec.replicas', spec.replicas), ...validateLabels(spec.selector, 'spec.selector')]
  if (!spec.selector || Object.keys(spec.selector).length === 0) errs.push(required('spec.selector'))
  if (spec.template) {
    errs.push(...templateChecks(spec.template, 'spec.template', ['Always']))
    const labels = spec.template.metadata?.labels ?? {}
    if (spec.selector && !Object.entries(spec.selector).every(([k, v]) => labels[k] === v))
      errs.push(invalid('spec.template.metadata.labels', goMap(labels), '`selector` does not match template `labels`'))
  }
  return errs
}

const STS_MUTABLE = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
]

export function validateStatefulSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = obj.spec ?? {}
  // containers mount the volumeClaimTemplates by name: the controller turns each into a volume per pod
  const claims = (spec.volumeClaimTemplates ?? []).map((t: Obj) => t.metadata?.name).filter(Boolean)
  const errs = [
    ...nonNegative('spec.replicas', spec.replicas),
    ...selectorAndTemplate(spec, 'statefulset', ['Always'], claims),
  ]
  const pmp = spec.podManagementPolicy
  if (pmp && !['OrderedReady', 'Parallel'].includes(pmp))
    errs.push(notSupported('spec.podManagementPolicy', pmp, ['OrderedReady', 'Parallel']))
  const ust = spec.updateStrategy?.type
  if (ust && !['RollingUpdate', 'OnDelete'].includes(ust))
    errs.push(notSupported('spec.updateStrategy.type', ust, ['RollingUpdate', 'OnDelete']))
  if (old) {
    const rest = (s: Obj) => Object.fromEntries(Object.entries(s ?? {}).filter(([k]) => !STS_MUTABLE.includes(k)))
    if (JSON.stringify(rest(spec)) !== JSON.stringify(rest(old.spec)))
      errs.push(
        forbidden(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      )
  }
  return errs
}

export function validateDaemonSet(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = obj.spec ?? {}
  const errs = selectorAndTemplate(spec, 'daemonset', ['Always'])
  const ust = spec.updateStrategy?.type
  if (ust && !['RollingUpdate', 'OnDelete'].includes(ust))
    errs.push(notSupported('spec.updateStrategy.type', ust, ['RollingUpdate', 'OnDelete']))
  return errs.concat(immutableSelector(obj, old))
}

function jobSpecChecks(spec: Obj, path: string, requireSelector: boolean): FieldError[] {
  const errs = [
    ...nonNegative(`${path}.parallelism`, spec.parallelism),
    ...nonNegative(`${path}.completions`, spec.completions),
    ...nonNegative(`${path}.backoffLimit`, spec.backoffLimit),
    ...nonNegative(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds),
    ...nonNegative(`${path}.ttlSecondsAfterFinished`, spec.ttlSecondsAfterFinished),
  ]
  const cm = spec.completionMode
  if (cm && !['NonIndexed', 'Indexed'].includes(cm))
    errs.push(notSupported(`${path}.completionMode`, cm, ['NonIndexed', 'Indexed']))
  if (cm === 'Indexed' && spec.completions == null)
    errs.push(required(`${path}.completions`, 'when completion mode is Indexed'))
  const tmpl = spec.template
  if (!tmpl) return errs.concat(required(`${path}.template`))
  errs.push(...templateChecks(tmpl, `${path}.template`, ['OnFailure', 'Never']))
  // a defaulted `Always` is already refused above as NotSupported (upstream reports it once)
  if (!tmpl.spec?.restartPolicy)
    errs.push(required(`${path}.template.spec.restartPolicy`, 'valid values: "OnFailure", "Never"'))
  if (requireSelector) {
    if (!spec.selector) errs.push(required(`${path}.selector`))
    else if (!selectorMatches(spec.selector, tmpl.metadata?.labels))
      errs.push(
        invalid(
          `${path}.template.metadata.labels`,
          goMap(tmpl.metadata?.labels),
          '`selector` does not match template `labels`',
        ),
      )
  }
  return errs
}

export function validateJob(obj: KubeObject, old?: KubeObject): FieldError[] {
  const spec = obj.spec ?? {}
  // The selector is generated from the uid (jobDefaults); before a uid exists only manual selectors are checked.
  const errs = jobSpecChecks(spec, 'spec', spec.manualSelector === true || !!obj.metadata?.uid)
  if (old) {
    errs.push(...immutableSelector(obj, old))
    if (JSON.stringify(spec.template) !== JSON.stringify(old.spec?.template) && !old.spec?.suspend)
      errs.push(immutable('spec.template', 'core.PodTemplateSpec{...}'))
    if (spec.completionMode !== old.spec?.completionMode)
      errs.push(immutable('spec.completionMode', spec.completionMode))
  }
  return errs
}

const CONCURRENCY = ['Allow', 'Forbid', 'Replace']

export function validateCronJob(obj: KubeObject): FieldError[] {
  const spec = obj.spec ?? {}
  const errs: FieldError[] = []
  if (!spec.schedule) errs.push(required('spec.schedule'))
  else errs.push(...validateSchedule('spec.schedule', spec.schedule))
  if (spec.concurrencyPolicy && !CONCURRENCY.includes(spec.concurrencyPolicy))
    errs.push(notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy, CONCURRENCY))
  errs.push(...nonNegative('spec.startingDeadlineSeconds', spec.startingDeadlineSeconds))
  errs.push(...nonNegative('spec.successfulJobsHistoryLimit', spec.successfulJobsHistoryLimit))
  errs.push(...nonNegative('spec.failedJobsHistoryLimit', spec.failedJobsHistoryLimit))
  // Generated Job names append an 11-character suffix to the CronJob's name.
  const name = obj.metadata?.name ?? ''
  if (name.length > 52) errs.push(invalid('metadata.name', name, 'must be no more than 52 characters'))
  if (!spec.jobTemplate) errs.push(required('spec.jobTemplate'))
  else
    errs.push(
      ...jobSpecChecks(
        spec.jobTemplate.spec ?? {},
        'spec.jobTemplate.spec',
        spec.jobTemplate.spec?.manualSelector === true,
      ),
    )
  return errs
}
