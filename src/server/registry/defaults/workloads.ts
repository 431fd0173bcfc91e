// apps/v1 and batch/v1 defaulting (k8s.io/kubernetes pkg/apis/apps/v1/defaults.go, batch/v1/defaults.go).
import type { KubeObject } from '../types.ts'
import { templateDefaults } from './pod.ts'
import { setDefault } from './set-default.ts'

export function deploymentDefaults(obj: KubeObject) {
  const spec = (obj.spec ??= {})
  setDefault(spec, 'replicas', 1)
  spec.strategy ??= {}
  setDefault(spec.strategy, 'type', 'RollingUpdate')
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {}
    setDefault(spec.strategy.rollingUpdate, 'maxUnavailable', '25%')
    setDefault(spec.strategy.rollingUpdate, 'maxSurge', '25%')
  }
  setDefault(spec, 'revisionHistoryLimit', 10)
  setDefault(spec, 'progressDeadlineSeconds', 600)
  templateDefaults(spec.template)
}

export function replicaSetDefaults(obj: KubeObject) {
  const spec = (obj.spec ??= {})
  setDefault(spec, 'replicas', 1)
  templateDefaults(spec.template)
}

/** ReplicationController (core/v1): selector and labels default from the template's labels. */
export function replicationControllerDefaults(obj: KubeObject) {
  const spec = (obj.spec ??= {})
  setDefault(spec, 'replicas', 1)
  const labels = spec.template?.metadata?.labels
  if (labels) {
    if (!spec.selector || Object.keys(spec.selector).length === 0) spec.selector = { ...labels }
    obj.metadata ??= {}
    if (!obj.metadata.labels || Object.keys(obj.metadata.labels).length === 0) obj.metadata.labels = { ...labels }
  }
  templateDefaults(spec.template)
}

export function statefulSetDefaults(obj: KubeObject) {
  const spec = (obj.spec ??= {})
  setDefault(spec, 'replicas', 1)
  setDefault(spec, 'podManagementPolicy', 'OrderedReady')
  spec.updateStrategy ??= {}
  setDefault(spec.updateStrategy, 'type', 'RollingUpdate')
  if (spec.updateStrategy.type === 'RollingUpdate') {
    spec.updateStrategy.rollingUpdate ??= {}
    setDefault(spec.updateStrategy.rollingUpdate, 'partition', 0)
  }
  setDefault(spec, 'revisionHistoryLimit', 10)
  spec.persistentVolumeClaimRetentionPolicy ??= {}
  setDefault(spec.persistentVolumeClaimRetentionPolicy, 'whenDeleted', 'Retain')
  setDefault(spec.persistentVolumeClaimRetentionPolicy, 'whenScaled', 'Retain')
  for (const pvc of spec.volumeClaimTemplates ?? []) {
    pvc.spec ??= {}
    setDefault(pvc.spec, 'volumeMode', 'Filesystem')
    pvc.status ??= {}
    setDefault(pvc.status, 'phase', 'Pending')
  }
  templateDefaults(spec.template)
}

export function daemonSetDefaults(obj: KubeObject) {
  const spec = (obj.spec ??= {})
  spec.updateStrategy ??= {}
  setDefault(spec.updateStrategy, 'type', 'RollingUpdate')
  if (spec.updateStrategy.type === 'RollingUpdate') {
    spec.updateStrategy.rollingUpdate ??= {}
    setDefault(spec.updateStrategy.rollingUpdate, 'maxUnavailable', 1)
    setDefault(spec.updateStrategy.rollingUpdate, 'maxSurge', 0)
  }
  setDefault(spec, 'revisionHistoryLimit', 10)
  templateDefaults(spec.template)
}

/** Label the Job controller selects its pods by (batch/v1 Job strategy, generateSelector). */
export const JOB_UID_LABEL = 'batch.kubernetes.io/controller-uid'
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name'

/** Job defaults. The generated selector needs metadata.uid: call after the uid is assigned. */
export function jobDefaults(obj: KubeObject) {
  const spec = (obj.spec ??= {})
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1
    spec.parallelism = 1
  }
  setDefault(spec, 'parallelism', 1)
  setDefault(spec, 'backoffLimit', spec.backoffLimitPerIndex != null ? 2147483647 : 6)
  setDefault(spec, 'completionMode', 'NonIndexed')
  setDefault(spec, 'suspend', false)
  if (!spec.podFailurePolicy) setDefault(spec, 'podReplacementPolicy', 'TerminatingOrFailed')
  const uid = obj.metadata?.uid
  if (spec.manualSelector !== true && uid && !spec.selector) {
    // As upstream generateSelector: both the new and the legacy label names on the template.
    const tmpl = (spec.template ??= {})
    tmpl.metadata ??= {}
    const labels = (tmpl.metadata.labels ??= {})
    const name = obj.metadata?.name ?? ''
    setDefault(labels, JOB_UID_LABEL, uid)
    setDefault(labels, 'controller-uid', uid)
    setDefault(labels, JOB_NAME_LABEL, name)
    setDefault(labels, 'job-name', name)
    spec.selector = { matchLabels: { [JOB_UID_LABEL]: uid } }
  }
  templateDefaults(spec.template)
}

export function cronJobDefaults(obj: KubeObject) {
  const spec = (obj.spec ??= {})
  setDefault(spec, 'concurrencyPolicy', 'Allow')
  setDefault(spec, 'suspend', false)
  setDefault(spec, 'successfulJobsHistoryLimit', 3)
  setDefault(spec, 'failedJobsHistoryLimit', 1)
  templateDefaults(spec.jobTemplate?.spec?.template)
}

export function podTemplateDefaults(obj: KubeObject) {
  templateDefaults(obj.template)
}
